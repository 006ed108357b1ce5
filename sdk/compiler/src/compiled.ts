// What the generator hands to the linker: one position-independent code blob
// for a whole module, where each function starts, and the map from native
// code offsets back to wasm function and byte offset (for traps and faults).

import { Module } from "./module";
import { VmctxLayout } from "./abi";

export const enum BoundsMode {
  /** Out-of-bounds accesses hit the unmapped guard region and fault. */
  Guard = 0,
  /** Every access is compared with the memory's current length first. */
  Explicit = 1,
}

export class CompileOptions {
  bounds: BoundsMode = BoundsMode.Guard;
  /** Privileged modules may import intrinsics from delos:native. */
  privileged: bool = false;
  /** 1: the single-pass baseline; 2: the optimizing tier (opt/), which leaves to the baseline each function it cannot lower. */
  tier: i32 = 1;
}

export class CompiledFunction {
  /** Index in the function index space (imports first). */
  funcIndex: u32 = 0;
  codeOffset: u32 = 0;
  codeSize: u32 = 0;
}

/** One native instruction that can trap or fault, or a call site. */
export class PcMapEntry {
  nativeOffset: u32 = 0;
  funcIndex: u32 = 0;
  /** Byte offset of the wasm instruction in the module binary. */
  wasmOffset: u32 = 0;
}

/**
 * The pc map as the generator builds it: PcMapEntry triples packed three
 * u32 each in one growable buffer, so that recording a site allocates
 * nothing. Reads as an array of PcMapEntry too (`map[i]`, `push`), for
 * code that is not on a hot path.
 */
export class PcMap {
  private data: StaticArray<u32> = new StaticArray<u32>(3 * 64);
  private count: i32 = 0;

  get length(): i32 { return this.count; }

  /** Sets the number of entries as an array's length does: new entries are zero. */
  set length(count: i32) {
    this.reserve(count);
    if (count > this.count) {
      memory.fill(changetype<usize>(this.data) + <usize>(12 * this.count), 0, <usize>(12 * (count - this.count)));
    }
    this.count = count;
  }

  /** Makes room for `count` entries in all. */
  reserve(count: i32): void {
    const capacity = this.data.length;
    if (3 * count <= capacity) return;
    // Not zeroed: entries are read only up to `count`.
    const grown = changetype<StaticArray<u32>>(__new(<usize>(4 * max(3 * count, 2 * capacity)), idof<StaticArray<u32>>()));
    memory.copy(changetype<usize>(grown), changetype<usize>(this.data), <usize>(12 * this.count));
    this.data = grown;
  }

  /** Appends an entry. */
  // @ts-ignore: decorator
  @inline add(nativeOffset: u32, funcIndex: u32, wasmOffset: u32): void {
    const at = this.count;
    if (3 * at + 3 > this.data.length) this.reserve(at + 1);
    const slot = changetype<usize>(this.data) + <usize>(12 * at);
    store<u32>(slot, nativeOffset);
    store<u32>(slot, funcIndex, 4);
    store<u32>(slot, wasmOffset, 8);
    this.count = at + 1;
  }

  push(entry: PcMapEntry): void { this.add(entry.nativeOffset, entry.funcIndex, entry.wasmOffset); }

  // @ts-ignore: decorator
  @inline nativeOffset(index: i32): u32 { return unchecked(this.data[3 * index]); }
  // @ts-ignore: decorator
  @inline funcIndex(index: i32): u32 { return unchecked(this.data[3 * index + 1]); }
  // @ts-ignore: decorator
  @inline wasmOffset(index: i32): u32 { return unchecked(this.data[3 * index + 2]); }

  /** Address of entry 0: entries are three u32 each (native offset, function index, wasm offset), `length` of them. */
  // @ts-ignore: decorator
  @inline entries(): usize { return changetype<usize>(this.data); }

  /** Entry `index` as an object (a copy). */
  @operator("[]") at(index: i32): PcMapEntry {
    if (<u32>index >= <u32>this.count) throw new RangeError("pc map index out of range");
    const entry = new PcMapEntry();
    entry.nativeOffset = this.nativeOffset(index);
    entry.funcIndex = this.funcIndex(index);
    entry.wasmOffset = this.wasmOffset(index);
    return entry;
  }
}

export class CompiledCode {
  module: Module;
  options: CompileOptions;
  code: Uint8Array = new Uint8Array(0);
  /** One entry per defined function, in function index order. */
  functions: CompiledFunction[] = [];
  /** Sorted by nativeOffset. */
  pcMap: PcMap = new PcMap();
  layout: VmctxLayout;
  /** With tier 2: how many functions the optimizing tier compiled, and how many it left to the baseline. */
  tier2Functions: i32 = 0;
  tier2Fallbacks: i32 = 0;

  constructor(module: Module, options: CompileOptions, layout: VmctxLayout) {
    this.module = module;
    this.options = options;
    this.layout = layout;
  }
}
