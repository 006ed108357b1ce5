// The kernel's global descriptor table and task state segment. Everything
// runs in ring 0 (isolation comes from the compiler and the page tables,
// docs/design.md section 2), so the GDT holds only a 64-bit code segment, a
// data segment and the TSS, and the TSS matters only for its interrupt
// stack table: the stacks the CPU switches to for the exceptions that must
// still be reported when the current stack is unusable (idt.ts assigns them).

import { absolute } from "./native";
import { lgdt, loadSegments, ltr } from "./cpu";

export const KERNEL_CODE: i32 = 0x08;
export const KERNEL_DATA: i32 = 0x10;
export const TSS_SELECTOR: i32 = 0x18;

/** Present, ring 0, execute/read, long mode, 4 KiB granularity. */
const CODE_DESCRIPTOR: u64 = 0x00af9a000000ffff;
/** Present, ring 0, read/write, 4 KiB granularity. */
const DATA_DESCRIPTOR: u64 = 0x00cf92000000ffff;
/** Present, 64-bit available TSS. */
const TSS_TYPE: u64 = 0x89;
const TSS_SIZE: i32 = 104;
const TSS_IST1: i32 = 36;
const TSS_IO_MAP: i32 = 102;
const GDT_ENTRIES: i32 = 5; // null, code, data, and the TSS's two halves

const gdt = memory.data(8 * GDT_ENTRIES, 16);
const gdtr = memory.data(16, 16);
const tss = memory.data(TSS_SIZE, 16);

/** Interrupt stack `index` (1..7) starts at `top`. */
export function setInterruptStack(index: i32, top: u64): void {
  store<u64>(tss + <usize>(TSS_IST1 + 8 * (index - 1)), top);
}

/** Builds and loads the GDT, reloads every segment register but fs/gs, and loads the TSS. */
export function loadGdt(): void {
  store<u64>(gdt, 0);
  store<u64>(gdt + 8, CODE_DESCRIPTOR);
  store<u64>(gdt + 16, DATA_DESCRIPTOR);
  const base = <u64>absolute(tss);
  const limit = <u64>(TSS_SIZE - 1);
  store<u64>(gdt + 24, (limit & 0xffff) | ((base & 0xffffff) << 16) | (TSS_TYPE << 40) | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56));
  store<u64>(gdt + 32, base >> 32);
  store<u16>(tss + TSS_IO_MAP, <u16>TSS_SIZE); // no I/O permission bitmap
  store<u16>(gdtr, <u16>(8 * GDT_ENTRIES - 1));
  store<u64>(gdtr + 2, <u64>absolute(gdt));
  lgdt(absolute(gdtr));
  loadSegments(KERNEL_CODE, KERNEL_DATA);
  ltr(TSS_SELECTOR);
}
