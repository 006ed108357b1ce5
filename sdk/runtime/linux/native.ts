// The intrinsics of module delos:native (docs/compiler-abi.md, "Privileged
// intrinsics"): the runtime's only imports. The generator expands each call
// inline, so they cost what the instruction costs.

@external("delos:native", "syscall")
export declare function syscall(number: i64, a1: i64, a2: i64, a3: i64, a4: i64, a5: i64, a6: i64): i64;

@external("delos:native", "load8")
export declare function load8(address: i64): i32;
@external("delos:native", "load32")
export declare function load32(address: i64): i32;
@external("delos:native", "load64")
export declare function load64(address: i64): i64;

@external("delos:native", "store8")
export declare function store8(address: i64, value: i32): void;
@external("delos:native", "store32")
export declare function store32(address: i64, value: i32): void;
@external("delos:native", "store64")
export declare function store64(address: i64, value: i64): void;

/** The absolute address of the runtime's own linear memory. */
@external("delos:native", "memory_base")
export declare function memory_base(): i64;

/** Calls wasm code through RT_INVOKE; the trap kind, 0 when it returned. */
@external("delos:native", "invoke")
export declare function invoke(code: i64, vmctx: i64, slots: i64, count: i32): i32;

@external("delos:native", "thread_block")
export declare function thread_block(): i64;

/** Copies `length` bytes upwards between absolute addresses (`rep movsq`, then `rep movsb`); the ranges must not overlap. */
@external("delos:native", "copy")
export declare function copy(destination: i64, source: i64, length: i64): void;

/** The absolute address of a pointer into the runtime's memory. */
export function absolute(local: usize): i64 {
  return memory_base() + <i64>local;
}

/** Copies `length` bytes from an absolute address into the runtime's memory. */
export function copyOut(destination: usize, source: i64, length: usize): void {
  // One string instruction, not a loop of intrinsic loads and stores: starting
  // a process copies each component (hundreds of KiB) through here.
  copy(absolute(destination), source, <i64>length);
}

/** Copies `length` bytes between absolute addresses (ranges must not overlap). */
export function copyAbsolute(destination: i64, source: i64, length: i64): void {
  if (length > 0) copy(destination, source, length);
}

/** Length of the NUL-terminated string at an absolute address. */
export function cStringLength(address: i64): i64 {
  let length: i64 = 0;
  while (load8(address + length) != 0) length++;
  return length;
}
