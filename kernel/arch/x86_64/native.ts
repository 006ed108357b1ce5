// Raw access to absolute addresses and the kernel's own instance, as the
// delos:native intrinsics (docs/compiler-abi.md, "Privileged intrinsics"):
// physical memory through the direct map, memory-mapped devices, the link
// info and boot info blocks, thread blocks.

@external("delos:native", "load8") export declare function load8(address: i64): i32;
@external("delos:native", "load32") export declare function load32(address: i64): i32;
@external("delos:native", "load64") export declare function load64(address: i64): i64;
@external("delos:native", "store8") export declare function store8(address: i64, value: i32): void;
@external("delos:native", "store32") export declare function store32(address: i64, value: i32): void;
@external("delos:native", "store64") export declare function store64(address: i64, value: i64): void;
/** Copies `length` bytes from absolute `source` to absolute `destination` (`rep movsq`, then `rep movsb`); the ranges must not overlap. */
@external("delos:native", "copy") export declare function copy(destination: i64, source: i64, length: i64): void;
/**
 * The same copy through the link's RT_COPY_CHECKED: 0 when done, or the
 * address whose page fault stopped it. Only kernel/component/copy.ts calls
 * it: the one path to memory a component controls.
 */
@external("delos:native", "copy_checked") export declare function copyChecked(destination: i64, source: i64, length: i64): i64;
/** Traps with `kind` here (RT_TRAP), unwinding to the innermost protected call: never returns. */
@external("delos:native", "trap") export declare function trap(kind: i32): void;
/** The absolute address of the kernel's linear memory. */
@external("delos:native", "memory_base") export declare function memoryBase(): i64;
/** Calls wasm code through the entry trampoline: the trap kind, 0 when it returned. */
@external("delos:native", "invoke") export declare function invoke(code: i64, vmctx: i64, slots: i64, count: i32): i32;
@external("delos:native", "thread_block") export declare function threadBlock(): i64;

/** The absolute address of a pointer into the kernel's linear memory. */
// @ts-ignore: decorator
@inline export function absolute(pointer: usize): i64 {
  return memoryBase() + <i64>pointer;
}
