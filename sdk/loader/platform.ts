// What the loader needs from the machine it runs on. The linux runtime
// implements it with system calls (sdk/runtime/linux/platform.ts); the
// kernel will implement it with its page allocator and page tables. The
// loader's own bookkeeping (vmctx, memory and table objects) lives in the
// loader's own linear memory; everything else — component code, component
// memories — lives outside it and is reached only through these methods.

/** Page protections for `protect`. */
export const enum Access {
  None = 0,
  ReadWrite = 1,
  ReadExecute = 2,
}

export abstract class Platform {
  /** Granularity of `reserve` and `protect`. */
  pageSize: u64 = 4096;

  /** The address native code uses for a pointer into the loader's own linear memory. */
  abstract address(local: usize): u64;

  /** Reserves `bytes` (a multiple of pageSize) of inaccessible address space; 0 on failure. */
  abstract reserve(bytes: u64): u64;

  /** Changes the protection of whole pages; false on failure. */
  abstract protect(address: u64, bytes: u64, access: Access): bool;

  /** Copies `length` bytes of the loader's memory at `source` to the absolute `destination`. */
  abstract copyIn(destination: u64, source: usize, length: usize): void;

  abstract load64(address: u64): u64;
  abstract store64(address: u64, value: u64): void;

  /** Makes `[start, end)` known as component code to the fault handler, before it runs. */
  abstract registerCode(start: u64, end: u64): bool;

  /**
   * Makes `[start, end)` known as code compiled with explicit bounds checks.
   * Such code never faults by design: a memory fault in it is a missing
   * check, a failure of the compiler, never a wasm trap. By default nothing
   * is recorded (a fault in unregistered code is a failure anyway).
   */
  registerExplicitCode(start: u64, end: u64): bool { return true; }

  /** The runtime services table every vmctx points to (VMCTX_RUNTIME). */
  abstract services(): u64;

  /** Calls wasm code through RT_INVOKE: the trap kind, 0 when it returned. */
  abstract invoke(code: u64, vmctx: u64, slots: u64, count: i32): i32;

  /** The native pc of the last trap on this thread. */
  abstract trapPc(): u64;
}
