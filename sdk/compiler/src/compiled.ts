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

export class CompiledCode {
  module: Module;
  options: CompileOptions;
  code: Uint8Array = new Uint8Array(0);
  /** One entry per defined function, in function index order. */
  functions: CompiledFunction[] = [];
  /** Sorted by nativeOffset. */
  pcMap: PcMapEntry[] = [];
  layout: VmctxLayout;

  constructor(module: Module, options: CompileOptions, layout: VmctxLayout) {
    this.module = module;
    this.options = options;
    this.layout = layout;
  }
}
