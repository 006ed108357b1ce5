// Time from the time-stamp counter: the TSC reading at the kernel's first
// instruction (the link's entry stub records it) and the TSC's frequency,
// measured once against the PIT at boot. The TSC is taken to be invariant
// (QEMU's and every recent CPU's is); timestamps before the measurement
// read as zero.

import { rdtsc } from "./arch/x86_64/cpu";

let entryTsc: u64 = 0;
let tscHz: u64 = 0;

export function setEntryTsc(tsc: u64): void { entryTsc = tsc; }
export function setTscHz(hz: u64): void { tscHz = hz; }
export function tscFrequency(): u64 { return tscHz; }
export function tscAtEntry(): u64 { return entryTsc; }

/** Microseconds in `cycles` TSC cycles (0 before the frequency is known). */
export function cyclesToMicros(cycles: u64): u64 {
  if (tscHz == 0) return 0;
  return cycles / tscHz * 1000000 + cycles % tscHz * 1000000 / tscHz;
}


export function microsSinceEntry(): u64 {
  return cyclesToMicros(<u64>rdtsc() - entryTsc);
}

export function now(): u64 { return <u64>rdtsc(); }
