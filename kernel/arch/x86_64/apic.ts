// The local APIC of the boot processor: enabled with a spurious vector, its
// timer calibrated against the TSC and then ticking periodically. Works in
// xAPIC mode (registers in the 4 KiB page at IA32_APIC_BASE, reached
// through the direct map, uncached) and in x2APIC mode (the same registers
// as MSRs 0x800 + offset / 16) when the firmware left it on.

import { phys } from "../../memory/physical";
import { rdmsr, rdtsc, wrmsr, MSR_APIC_BASE } from "./cpu";
import { load32, store32 } from "./native";

const APIC_ENABLE: i64 = 1 << 11;
const X2APIC_ENABLE: i64 = 1 << 10;
const X2APIC_MSR_BASE: i32 = 0x800;

const ID: i32 = 0x20;
const VERSION: i32 = 0x30;
const TASK_PRIORITY: i32 = 0x80;
const END_OF_INTERRUPT: i32 = 0xb0;
const SPURIOUS: i32 = 0xf0;
const LVT_TIMER: i32 = 0x320;
const TIMER_INITIAL: i32 = 0x380;
const TIMER_CURRENT: i32 = 0x390;
const TIMER_DIVIDE: i32 = 0x3e0;

const SOFTWARE_ENABLE: i32 = 0x100;
const MASKED: i32 = 1 << 16;
const PERIODIC: i32 = 1 << 17;
const DIVIDE_BY_16: i32 = 0x3;

export const TIMER_VECTOR: i32 = 0x40;
export const SPURIOUS_VECTOR: i32 = 0xff;

let x2apic: bool = false;
let base: u64 = 0;
let countsPerTick: u32 = 0;

function read(register: i32): u32 {
  if (x2apic) return <u32>rdmsr(X2APIC_MSR_BASE + (register >> 4));
  return <u32>load32(phys(base + <u64>register));
}

function write(register: i32, value: u32): void {
  if (x2apic) wrmsr(X2APIC_MSR_BASE + (register >> 4), <i64>value);
  else store32(phys(base + <u64>register), <i32>value);
}

/** Turns the local APIC on (spurious interrupts to SPURIOUS_VECTOR, every priority accepted). */
export function enableApic(): void {
  const msr = rdmsr(MSR_APIC_BASE);
  x2apic = (msr & X2APIC_ENABLE) != 0;
  base = <u64>msr & 0x000ffffffffff000;
  if ((msr & APIC_ENABLE) == 0) wrmsr(MSR_APIC_BASE, msr | APIC_ENABLE);
  write(TASK_PRIORITY, 0);
  write(SPURIOUS, SOFTWARE_ENABLE | SPURIOUS_VECTOR);
}

export function apicIsX2(): bool { return x2apic; }
export function apicBase(): u64 { return base; }
export function apicId(): u32 { return x2apic ? read(ID) : read(ID) >> 24; }
export function apicVersion(): u32 { return read(VERSION) & 0xff; }

/**
 * Counts the timer's decrements (divided by 16) over `cycles` TSC cycles
 * with the timer masked, then starts it periodic at that count, so that it
 * ticks once per `cycles`. Returns the count per tick (0: the timer never moved).
 */
export function startTimer(cycles: u64): u32 {
  write(TIMER_DIVIDE, DIVIDE_BY_16);
  write(LVT_TIMER, MASKED | TIMER_VECTOR);
  write(TIMER_INITIAL, 0xffffffff);
  const start = <u64>rdtsc();
  while (<u64>rdtsc() - start < cycles) {}
  const elapsed = 0xffffffff - read(TIMER_CURRENT);
  write(TIMER_INITIAL, 0);
  countsPerTick = elapsed;
  if (elapsed == 0) return 0;
  write(LVT_TIMER, PERIODIC | TIMER_VECTOR);
  write(TIMER_INITIAL, elapsed);
  return elapsed;
}

export function endOfInterrupt(): void { write(END_OF_INTERRUPT, 0); }
