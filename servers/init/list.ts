// The components init knows: its list. Each entry names a component — the
// name init gives it, under which its state objects and names are its own
// (docs/kernel.md, "Manifests and capabilities") — the payload file it
// loads from, what init grants it (manifest text: its kind, the paths it
// may serve and open, its state objects, its priority ceiling and limits;
// the component's own manifest can only ask for less), whether init starts
// it at boot or when asked (`init.start`), and whether init restarts it
// when it ends. One list serves every image: an entry whose file an image
// does not carry is skipped at boot and refused when asked for (the
// desktop image has no test programs, the test image no desktop).
//
// FIXME(issue 4): the list is data compiled into init; it moves to a file
// of the payload once components can read files.

export const enum StartAt {
  /** Started when init starts. */
  Boot = 0,
  /** Started by an `init.start` request. */
  Request = 1,
}

export const enum Policy {
  /** Restarted at once whenever it ends, unless stopped. */
  Restart = 0,
  /** Never restarted: it runs to its end (the test runner). */
  Once = 1,
}

export class Entry {
  /** The path `replace` gave, which later restarts load. */
  path: string;
  /** The running instance's component id, 0 when none runs. */
  running: u32 = 0;
  /** False once stopped: its end is not followed by a restart. */
  wanted: bool = false;
  /** Instances started so far. */
  starts: u32 = 0;
  /** How the last instance that ended ended: trap kind (0: none), wasm function and offset. */
  lastTrap: u32 = 0;
  lastFunction: u32 = 0;
  lastOffset: u32 = 0;
  /** Restarts within the current window (supervisor.ts: a component that keeps dying is given up). */
  recentRestarts: i32 = 0;
  windowStart: i64 = 0;

  constructor(readonly name: string, path: string, readonly grant: string, readonly startAt: StartAt, readonly policy: Policy) {
    this.path = path;
  }

  /** What component.spawn gets: the entry's name and its grant. */
  get grantText(): string { return "name " + this.name + "\n" + this.grant; }
}

function entry(name: string, path: string, grant: string, startAt: StartAt, policy: Policy): Entry {
  return new Entry(name, path, grant, startAt, policy);
}

export const list: Entry[] = [
  // The in-OS tests (tests/os): the runner, and the servers it asks for.
  // The runner spawns the test programs itself and grants each its part
  // of this: among them the rtc driver (the CMOS clock's ports and line),
  // the yielder at priority 25, and the hostile program the paths and the
  // state name of other servers, which it must not be able to use.
  entry("runner", "test/runner.wasm", `kind test
serve /test/runner
serve /test/takeover
serve /test/taker
serve /test/rtc
serve /test/trap
serve /test/store
serve /test/hostile
open /init
open /test/*
state scratch
state table
spawn test/*
port 0x70 2
irq 0 256
ceiling 25
threads 64
handles 4096
pulses 256`, StartAt.Boot, Policy.Once),
  entry("echo", "test/echo.wasm", "kind server\nserve /test/echo", StartAt.Request, Policy.Restart),
  entry("store", "test/store.wasm", "kind server\nserve /test/store\nstate table", StartAt.Request, Policy.Restart),
  entry("shared", "test/shared.wasm", "kind server\nserve /test/shared", StartAt.Request, Policy.Restart),
  entry("priority", "test/priority.wasm", "kind server\nserve /test/priority\nopen /test/runner", StartAt.Request, Policy.Restart),
  entry("relay", "test/relay.wasm", "kind server\nserve /test/relay\nopen /test/priority", StartAt.Request, Policy.Restart),
  // The system-call fuzzer's supervisor (tests/os/fuzz), in the fuzz image only: what it passes on to its
  // workers, victim and heartbeat, and QEMU's fw_cfg ports for the host's settings.
  entry("fuzz", "test/fuzz.wasm", `kind test
priority 25
ceiling 30
serve /test/fuzz
serve /test/fuzz-victim
serve /test/fuzz-w/*
open /test/*
state fuzz-scratch
spawn test/fuzz-worker.wasm
spawn test/fuzz-victim.wasm
spawn test/fuzz-heartbeat.wasm
spawn test/fuzz-absent.wasm
port 0x510 2
port 0x80 1
irq 8
threads 64
handles 4096
pulses 256`, StartAt.Boot, Policy.Once),
];

export function findByName(name: string): Entry | null {
  for (let i = 0; i < list.length; i++) if (list[i].name == name) return list[i];
  return null;
}

export function findByComponent(component: u32): Entry | null {
  if (component == 0) return null;
  for (let i = 0; i < list.length; i++) if (list[i].running == component) return list[i];
  return null;
}
