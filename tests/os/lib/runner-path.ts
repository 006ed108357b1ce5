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
