// The hostile program's attacks, in the order it makes them and reports
// them to the runner (tests/os/hostile, tests/os/runner/hostile.ts), and
// the store slot whose value it must not reach.

/** name.register of /test/echo, which its manifest asks for (`serve *`) and its grant does not give. */
export const HOSTILE_SERVE_OTHER: u32 = 0;
/** name.register of /test/store (granted), which the store server holds. */
export const HOSTILE_REGISTER_HELD: u32 = 1;
/** The same with NAME_TAKE_OVER: it claims the store's manifest name, but not its identity. */
export const HOSTILE_TAKE_OVER: u32 = 2;
/** state.open of `counter`: its manifest asks for `state *`, its grant names only `table`. */
export const HOSTILE_STATE_OTHER: u32 = 3;
/** state.open of `table`, the store server's state name: its own, zeroed object (the handle). */
export const HOSTILE_STATE_OPEN: u32 = 4;
/** The low 32 bits of STORE_SLOT in that object as it found it (0: not the store's). */
export const HOSTILE_STATE_VALUE: u32 = 5;
/** component.spawn of hello granting a path it does not hold itself. */
export const HOSTILE_SPAWN_WIDER: u32 = 6;
/** component.spawn of hello granting a ceiling above its own. */
export const HOSTILE_SPAWN_HIGHER: u32 = 7;
/** thread.set_priority one above its ceiling. */
export const HOSTILE_PRIORITY_ABOVE: u32 = 8;
/** thread.set_priority at its ceiling (allowed). */
export const HOSTILE_PRIORITY_AT: u32 = 9;
/** thread.create one above its ceiling. */
export const HOSTILE_THREAD_ABOVE: u32 = 10;
/** Threads it had alive when thread.create was refused, then the refusal. */
export const HOSTILE_THREADS: u32 = 11;
export const HOSTILE_THREADS_REFUSED: u32 = 12;
/** Handles it held when channel.create was refused, then the refusal. */
export const HOSTILE_HANDLES: u32 = 13;
export const HOSTILE_HANDLES_REFUSED: u32 = 14;
/** Pages of linear memory once memory.grow failed. */
export const HOSTILE_PAGES: u32 = 15;
/** memory.create past its `objects` limit (its state object counts), then one that fits. */
export const HOSTILE_OBJECT_PAST: u32 = 16;
export const HOSTILE_OBJECT_FITS: u32 = 17;
export const HOSTILE_STEPS: u32 = 18;

/** The store slot the runner fills before the attack (as test.store's slots: 8 bytes each). */
export const STORE_SLOT: u32 = 5;

/** What the flooder's exit status says: pulses it queued times 256, plus the error that stopped it (negated). */
export function floodStatus(sent: i32, error: i32): i32 { return sent * 256 + (-error & 0xff); }
