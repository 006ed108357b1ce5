// Lines on the kernel console (COM1) for the in-OS test programs. The kernel
// prefixes each with the writing component's name; the host reads the
// `ostest:` and `osbench:` lines (tests/os/README.md, tests/kernel/report.ts).
// Numbers are formatted here, without allocating per digit, so that a
// program may print inside a loop without growing its heap much.

/** Writes one line (sdk/lib/log.ts). */
export { log as line } from "../../../sdk/lib/log";

/** A number in hexadecimal with a 0x prefix. */
export function hex(value: u64): string {
  return "0x" + value.toString(16);
}

/** An error status as its name and number (`DEAD_SERVER (-10)`). */
export function status(value: i32, name: string): string {
  return name + " (" + value.toString() + ")";
}
