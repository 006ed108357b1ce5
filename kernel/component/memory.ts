// memory.grow of a component's linear memory (and of the compiler's): the
// link's RT_MEMORY_GROW stub calls the kernel's growMemory with the memory
// object, and for any memory but the kernel's own it comes here. Fresh
// zeroed frames are mapped at the memory's end inside its reservation and
// the length is raised; the base never moves. The component's code runs
// with interrupts on, so this runs with them off until it returns.
//
// A component's memory object is loader bookkeeping in the kernel's own
// memory, which no component can write: the pointer is trusted. The stub
// saves the interrupt flag and restores it on every way out (a trap
// included); a grow asked for with less than the system calls' stack
// reserve left grows the thread's stack, or when it cannot, fails (-1)
// before it changes anything.

import { MEMORY_BASE, MEMORY_LENGTH, MEMORY_MAX_PAGES, MEMORY_RESERVED, PAGE_SIZE } from "../../sdk/compiler/src/abi";
import { cli } from "../arch/x86_64/cpu";
import { SYSTEM_CALL_RESERVE, hasReserve } from "../sched/entry";
import { reserveStack } from "../sched/threads";
import { load64, store64 } from "../arch/x86_64/native";
import { PageAccess, mapRegionPages } from "./region";

/** Grows the memory whose object is at absolute `object` by `deltaPages`: the old size in wasm pages, or -1. */
export function growComponentMemory(object: i64, deltaPages: i32): i32 {
  cli();
  if (!hasReserve() && !reserveStack(SYSTEM_CALL_RESERVE)) return -1;
  return grow(object, deltaPages);
}

function grow(object: i64, deltaPages: i32): i32 {
  const length = <u64>load64(object + MEMORY_LENGTH);
  const oldPages = length / <u64>PAGE_SIZE;
  if (deltaPages == 0) return <i32>oldPages;
  if (deltaPages < 0) return -1;
  const newLength = length + <u64>deltaPages * <u64>PAGE_SIZE;
  if (newLength / <u64>PAGE_SIZE > <u64>load64(object + MEMORY_MAX_PAGES)) return -1;
  if (newLength > <u64>load64(object + MEMORY_RESERVED)) return -1;
  const base = <u64>load64(object + MEMORY_BASE);
  // Out of frames: what was mapped stays mapped past the length, unused; the next grow maps over it.
  if (!mapRegionPages(base + length, newLength - length, PageAccess.ReadWrite)) return -1;
  store64(object + MEMORY_LENGTH, <i64>newLength);
  return <i32>oldPages;
}
