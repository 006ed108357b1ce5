// What the runner grants each program it spawns (component.spawn's grant,
// docs/kernel.md "Manifests and capabilities"): the paths, lines and
// ports each needs and, where a default limit is too low, the limit. The
// programs' own manifests ask for the same or less; a program is named
// after its manifest unless the grant names it.

export const CLIENT_GRANT = "open /test/echo";
export const SPINNER_GRANT = "open /test/runner";
export const HELLO_GRANT = "open /test/runner";
/** The yielder runs at 25 (its manifest's priority), above the default ceiling. */
export const YIELDER_GRANT = "ceiling 25";
/** The CMOS clock driver: its line and ports, its priority 20, and room to fill its own events queue (64 pulses). */
export const RTC_GRANT = "serve /test/rtc\nport 0x70 2\nirq 8\nceiling 20\npulses 64";
export const TAKER_GRANT = "serve /test/takeover\nserve /test/taker\nopen /test/runner";
export const THREADS_GRANT = "open /test/echo\nopen /test/runner";
export const TRAPPER_GRANT = "serve /test/trap";
/** The hostile apps of hostile-memory and hostile-stack: the echo server to send to, nothing more. */
export const HOSTILE_APP_GRANT = "open /test/echo";
/** The victim of hostile-overflow: its filler threads and the deep one, and the runner's channel for its pulse. */
export const VICTIM_GRANT = "open /test/runner\nthreads 32";
