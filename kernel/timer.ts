// The kernel's clock tick: the local APIC timer interrupts TICK_HZ times a
// second; the handler only counts (it runs with the interrupted code
// stopped anywhere, so it must not allocate or print). The idle loop
// reports the count on the console.

export const TICK_HZ: u32 = 100;

let ticks: u64 = 0;

export function tick(): void { ticks++; }
export function tickCount(): u64 { return ticks; }
