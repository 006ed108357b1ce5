// Where the test runner listens for pulses from the programs it starts,
// and the pulse codes they send it.

export const RUNNER_PATH = "/test/runner";
/** The spinner is running (tests/os/spinner). */
export const PULSE_SPINNING: i32 = 1;
/** A program's first instruction ran (tests/os/hello: the load benchmark). */
export const PULSE_HELLO: i32 = 2;
/** The runner's own marker, to see which pulses came before it. */
export const PULSE_MARKER: i32 = 3;
/** The most threads tests/os/threads had alive at once: the pulse's value. */
export const PULSE_THREADS: i32 = 4;
/** The priority server holds a `hold` request (tests/os/priority); the value is its receive id. */
export const PULSE_HOLDING: i32 = 5;
/** The taker's name.register results (tests/os/taker), as the value (the result as a u32). */
export const PULSE_TAKER_TOOK: i32 = 6;
export const PULSE_TAKER_REGISTERED: i32 = 7;

/** The name-take-over test's paths: one the runner holds, one the taker registers. */
export const TAKE_OVER_PATH = "/test/takeover";
export const TAKER_PATH = "/test/taker";

/** Sent to the priority server's channel: let the held request go. */
export const PULSE_RELEASE: i32 = 1;

/** One of the hostile program's results (tests/os/hostile): the value is the step (HOSTILE_*) times 2^32 plus the result as a u32. */
export const PULSE_HOSTILE: i32 = 8;
/** The flooder's pulses (tests/os/flooder): a code the runner waits for in no test. */
export const PULSE_FLOOD: i32 = 9;
/** The victim of hostile-overflow: its deep thread is at the bottom of its recursion. */
export const PULSE_VICTIM_READY: i32 = 10;
/** tests/os/direct-client is about to call the echo server's direct handler. */
export const PULSE_CALLING: i32 = 11;
