// The components init knows: its list. Each entry names a component (its
// manifest's name), the payload file it loads from, whether init starts it
// at boot or when asked (`init.start`), and whether init restarts it when
// it ends. One list serves every image: an entry whose file an image does
// not carry is skipped at boot and refused when asked for (the desktop
// image has no test programs, the test image no desktop).
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

  constructor(readonly name: string, path: string, readonly startAt: StartAt, readonly policy: Policy) {
    this.path = path;
  }
}

function entry(name: string, path: string, startAt: StartAt, policy: Policy): Entry {
  return new Entry(name, path, startAt, policy);
}

export const list: Entry[] = [
  // The in-OS tests (tests/os): the runner, and the servers it asks for.
  entry("runner", "test/runner.wasm", StartAt.Boot, Policy.Once),
  entry("echo", "test/echo.wasm", StartAt.Request, Policy.Restart),
  entry("store", "test/store.wasm", StartAt.Request, Policy.Restart),
  entry("shared", "test/shared.wasm", StartAt.Request, Policy.Restart),
  entry("priority", "test/priority.wasm", StartAt.Request, Policy.Restart),
  entry("relay", "test/relay.wasm", StartAt.Request, Policy.Restart),
  // The system-call fuzzer's supervisor (tests/os/fuzz), in the fuzz image only.
  entry("fuzz", "test/fuzz.wasm", StartAt.Boot, Policy.Once),
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
