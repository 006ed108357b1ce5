// The interrupt descriptor table: every vector points at its entry stub
// from the kernel link (LINK_VECTORS + v * LINK_VECTOR_STRIDE), which saves
// the state and calls the kernel's `interrupt(frame)`. All gates are
// interrupt gates (interrupts stay off in handlers). Vectors whose
// exception must be handled even when the current stack is gone run on an
// interrupt stack of their own, and the stubs switch fs to that stack's
// thread block (LINK_VECTOR_THREAD_BLOCKS).

import { absolute, store64 } from "./native";
import { lidt } from "./cpu";
import { KERNEL_CODE, setInterruptStack } from "./gdt";
import { link } from "./handoff";
import {
  IST_STACK_SIZE, LINK_IST_STACKS, LINK_IST_THREAD_BLOCKS, LINK_VECTORS, LINK_VECTOR_STRIDE,
  LINK_VECTOR_THREAD_BLOCKS, STACK_GUARD_SIZE, VECTOR_COUNT,
} from "./link-info";
import { THREAD_BLOCK_SIZE } from "../../../sdk/compiler/src/abi";

const GATE_SIZE: i32 = 16;
/** Present, ring 0, 64-bit interrupt gate. */
const INTERRUPT_GATE: u8 = 0x8e;

export const VECTOR_DOUBLE_FAULT: i32 = 8;
export const VECTOR_NMI: i32 = 2;
export const VECTOR_MACHINE_CHECK: i32 = 18;
export const VECTOR_PAGE_FAULT: i32 = 14;

const idt = memory.data(GATE_SIZE * VECTOR_COUNT, 16);
const idtr = memory.data(16, 16);

function writeGate(vector: i32, handler: u64, ist: i32): void {
  const at = idt + <usize>(GATE_SIZE * vector);
  store<u16>(at, <u16>handler);
  store<u16>(at + 2, <u16>KERNEL_CODE);
  store<u8>(at + 4, <u8>ist);
  store<u8>(at + 5, INTERRUPT_GATE);
  store<u16>(at + 6, <u16>(handler >> 16));
  store<u32>(at + 8, <u32>(handler >> 32));
  store<u32>(at + 12, 0);
}

/** The entry stub of a vector. */
export function vectorStub(vector: i32): u64 {
  return <u64>link(LINK_VECTORS) + <u64>link(LINK_VECTOR_STRIDE) * <u64>vector;
}

/** Top of the link's IST stack `index` (0-based) and its thread block. */
export function istStackTop(index: i32): u64 {
  return <u64>link(LINK_IST_STACKS) + <u64>((index + 1) * (STACK_GUARD_SIZE + IST_STACK_SIZE));
}
export function istThreadBlock(index: i32): u64 {
  return <u64>link(LINK_IST_THREAD_BLOCKS) + <u64>(index * THREAD_BLOCK_SIZE);
}

/**
 * Runs `vector` on interrupt stack `ist` (1..7; 0: the current stack) with
 * `threadBlock` as fs while its handler runs (0: the interrupted thread's).
 */
export function useInterruptStack(vector: i32, ist: i32, threadBlock: u64): void {
  store<u8>(idt + <usize>(GATE_SIZE * vector + 4), <u8>ist);
  store64(link(LINK_VECTOR_THREAD_BLOCKS) + <i64>(8 * vector), <i64>threadBlock);
}

/**
 * Builds and loads the IDT. The link's four IST stacks go to double fault,
 * NMI, machine check and page fault, IST slots 1 to 4.
 */
export function loadIdt(): void {
  for (let vector = 0; vector < VECTOR_COUNT; vector++) writeGate(vector, vectorStub(vector), 0);
  const assigned: StaticArray<i32> = [VECTOR_DOUBLE_FAULT, VECTOR_NMI, VECTOR_MACHINE_CHECK, VECTOR_PAGE_FAULT];
  for (let i = 0; i < assigned.length; i++) {
    setInterruptStack(i + 1, istStackTop(i));
    useInterruptStack(assigned[i], i + 1, istThreadBlock(i));
  }
  store<u16>(idtr, <u16>(GATE_SIZE * VECTOR_COUNT - 1));
  store<u64>(idtr + 2, <u64>absolute(idt));
  lidt(absolute(idtr));
}
