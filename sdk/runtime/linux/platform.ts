// The loader's Platform on Linux: address space from mmap/mprotect, raw
// memory access through the delos:native intrinsics, code ranges written
// into the table the fault handler reads (docs/linux-runtime.md, "The
// code-range table and faults"), and wasm entered through RT_INVOKE.

import { THREAD_TRAP_PC } from "../../compiler/src/abi";
import { Access, Platform } from "../../loader/platform";
import { copy, invoke as rawInvoke, load64 as rawLoad64, memory_base, store64 as rawStore64 } from "./native";
import {
  MAP_ANONYMOUS, MAP_NORESERVE, MAP_PRIVATE, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, Sys, mmap, sys3,
} from "./syscalls";

export class LinuxPlatform extends Platform {
  servicesTable: i64;
  codeRanges: i64;
  codeRangeCapacity: i64;
  threadBlock: i64;

  constructor(services: i64, codeRanges: i64, codeRangeCapacity: i64, threadBlock: i64) {
    super();
    this.servicesTable = services;
    this.codeRanges = codeRanges;
    this.codeRangeCapacity = codeRangeCapacity;
    this.threadBlock = threadBlock;
  }

  address(local: usize): u64 {
    return <u64>memory_base() + <u64>local;
  }

  reserve(bytes: u64): u64 {
    const address = mmap(<i64>bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    return address < 0 ? 0 : <u64>address;
  }

  protect(address: u64, bytes: u64, access: Access): bool {
    let protection = PROT_NONE;
    if (access == Access.ReadWrite) protection = PROT_READ | PROT_WRITE;
    else if (access == Access.ReadExecute) protection = PROT_READ | PROT_EXEC;
    return sys3(Sys.Mprotect, <i64>address, <i64>bytes, protection) == 0;
  }

  copyIn(destination: u64, source: usize, length: usize): void {
    // The component's code and data segments, copied with one string instruction.
    copy(<i64>destination, <i64>this.address(source), <i64>length);
  }

  load64(address: u64): u64 { return <u64>rawLoad64(<i64>address); }
  store64(address: u64, value: u64): void { rawStore64(<i64>address, <i64>value); }

  registerCode(start: u64, end: u64): bool {
    return this.addRange(this.codeRanges, start, end);
  }

  /** Explicit-bounds code goes to the second table, which follows the first. */
  registerExplicitCode(start: u64, end: u64): bool {
    return this.addRange(this.codeRanges + 8 + this.codeRangeCapacity * 16, start, end);
  }

  private addRange(table: i64, start: u64, end: u64): bool {
    const count = rawLoad64(table);
    if (count >= this.codeRangeCapacity) return false;
    const entry = table + 8 + count * 16;
    rawStore64(entry, <i64>start);
    rawStore64(entry + 8, <i64>end);
    rawStore64(table, count + 1);
    return true;
  }

  services(): u64 { return <u64>this.servicesTable; }

  invoke(code: u64, vmctx: u64, slots: u64, count: i32): i32 {
    return rawInvoke(<i64>code, <i64>vmctx, <i64>slots, count);
  }

  trapPc(): u64 { return <u64>rawLoad64(this.threadBlock + THREAD_TRAP_PC); }
}
