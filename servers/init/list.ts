// The components init knows: its list. Each entry names a component — the
// name init gives it, under which its state objects and names are its own
// (docs/kernel.md, "Manifests and capabilities") — the payload file it
// loads from, what init grants it (manifest text: its kind, the paths it
// may serve and open, its state objects, its priority ceiling and limits;
// the component's own manifest can only ask for less), whether init starts
// it at boot or when asked (`init.start`), and whether init restarts it
// when it ends.
//
// The list is the image's: init is built once per image (its manifest says
// `@image`), and the entry module the build generates from the image's
// recipe and the component folders' manifests (sdk/host/components.ts)
// fills sdk/lib/image.ts's table before `_start`; loadList takes the
// components whose parent is init from it. A grant is the text of the
// component folder's manifest, as the recipe that put it in the image
// approved it — never read from the component's own wasm.

import { findImageComponent as findImage, imageComponents } from "../../sdk/lib/image";

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
  /** The warm spare (supervisor.ts, "Warm spares"): its component id, 0 when none runs. */
  spare: u32 = 0;
  /** The receive id of the spare's standby request, answered when the spare takes over; 0 until it asked. */
  spareRequest: i32 = 0;
  /** Set once an instance asked for standby: init keeps a spare of the entry from then on. */
  keepsSpare: bool = false;
  /** Spares that ended before taking over, in a row: past SPARE_FAILURE_LIMIT no spare is kept. */
  spareFailures: i32 = 0;
  /** A replacement's hand-over (supervisor.ts, handOver): the old instance to retire once its names moved, 0 when none waits. */
  retiring: u32 = 0;
  /** The new instance, the path it was started from, the replace request to answer (0: none) and until when to wait. */
  successor: u32 = 0;
  successorPath: string = "";
  replaceRequest: i32 = 0;
  handOverDeadline: i64 = 0;
  /** Restarts within the current window (supervisor.ts: a component that keeps dying is given up). */
  recentRestarts: i32 = 0;
  windowStart: i64 = 0;

  constructor(readonly name: string, path: string, readonly grant: string, readonly startAt: StartAt, readonly policy: Policy) {
    this.path = path;
  }

  /** What component.spawn gets: the entry's name and its grant. */
  get grantText(): string { return "name " + this.name + "\n" + this.grant; }
}

/** Init's list, in start order: what loadList took from the image table. */
export const list: Entry[] = [];

/** Fills the list from the image table: the components started at boot first, in their start order, then the others. */
export function loadList(): void {
  for (let i = 0; i < imageComponents.length; i++) {
    const component = imageComponents[i];
    if (component.parent != "init") continue;
    list.push(new Entry(component.name, component.path, component.grant,
      component.bootOrder >= 0 ? StartAt.Boot : StartAt.Request, component.restart ? Policy.Restart : Policy.Once));
  }
  list.sort((a: Entry, b: Entry): i32 => bootRank(a) - bootRank(b));
}

function bootRank(entry: Entry): i32 {
  const component = findImage(entry.name);
  return component != null && component.bootOrder >= 0 ? component.bootOrder : i32.MAX_VALUE;
}

export function findByName(name: string): Entry | null {
  for (let i = 0; i < list.length; i++) if (list[i].name == name) return list[i];
  return null;
}

export function findByComponent(component: u32): Entry | null {
  if (component == 0) return null;
  for (let i = 0; i < list.length; i++) if (list[i].running == component) return list[i];
  return null;
}

export function findBySpare(component: u32): Entry | null {
  if (component == 0) return null;
  for (let i = 0; i < list.length; i++) if (list[i].spare == component) return list[i];
  return null;
}
