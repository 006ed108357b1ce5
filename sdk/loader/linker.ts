// The set of everything components can import from: registered instances
// and host modules, by module name. It also owns what all instances share:
// the platform, the canonical signature ids, and the list of mapped code (to
// turn a trap's pc back into a component, a wasm function and an offset).

import { FuncType } from "../compiler/src/module";
import { CompiledComponent } from "./component";
import { ExternValue, FunctionInstance, Namespace } from "./extern";
import { Platform } from "./platform";
import { Signatures } from "./signatures";

/** Where a native pc lies: which component, wasm function and offset. */
export class CodeLocation {
  component: CompiledComponent;
  /** -1 when the pc is in the component's code but no function's. */
  funcIndex: i32 = -1;
  /** -1 when the pc map has no entry for it. */
  wasmOffset: i64 = -1;

  constructor(component: CompiledComponent) {
    this.component = component;
  }

  toString(): string {
    if (this.funcIndex < 0) return "outside any function";
    let text = "function " + this.funcIndex.toString();
    if (this.wasmOffset >= 0) text += ", wasm offset 0x" + this.wasmOffset.toString(16);
    return text;
  }
}

export class Linker {
  platform: Platform;
  signatures: Signatures = new Signatures();
  private moduleNames: string[] = [];
  private namespaces: Namespace[] = [];
  /** Components whose code is mapped, with `mappedCode` set. */
  mapped: CompiledComponent[] = [];

  constructor(platform: Platform) {
    this.platform = platform;
  }

  /** The namespace called `name`, created empty when missing. */
  namespace(name: string): Namespace {
    for (let i = 0; i < this.moduleNames.length; i++) if (this.moduleNames[i] == name) return this.namespaces[i];
    const created = new Namespace();
    this.moduleNames.push(name);
    this.namespaces.push(created);
    return created;
  }

  /** Makes `exports` importable as module `name`, replacing what was there. */
  register(name: string, exports: Namespace): void {
    for (let i = 0; i < this.moduleNames.length; i++) {
      if (this.moduleNames[i] == name) { this.namespaces[i] = exports; return; }
    }
    this.moduleNames.push(name);
    this.namespaces.push(exports);
  }

  /** Offers a host function (native `code` entered with `vmctx`) as `module.name`. */
  defineHost(module: string, name: string, type: FuncType, code: u64, vmctx: u64): void {
    const func = new FunctionInstance(code, vmctx, type, this.signatures.id(type));
    this.namespace(module).define(name, ExternValue.ofFunction(func));
  }

  resolve(module: string, name: string): ExternValue | null {
    for (let i = 0; i < this.moduleNames.length; i++) {
      if (this.moduleNames[i] == module) return this.namespaces[i].lookup(name);
    }
    return null;
  }

  /** Which component's code holds `pc`, and where in it; null for a pc outside every component. */
  locate(pc: u64): CodeLocation | null {
    for (let i = 0; i < this.mapped.length; i++) {
      const component = this.mapped[i];
      const base = component.mappedCode;
      if (pc < base || pc - base > <u64>component.codeLength) continue;
      const offset = <u32>(pc - base);
      const location = new CodeLocation(component);
      const entry = component.lookupPc(offset);
      const owner = component.functionAt(offset);
      if (entry >= 0 && (owner < 0 || <u32>owner == component.pcFunction[entry])) {
        location.funcIndex = <i32>component.pcFunction[entry];
        location.wasmOffset = <i64>component.pcWasm[entry];
      } else {
        location.funcIndex = owner;
      }
      return location;
    }
    return null;
  }

  /**
   * Calls `func` with `args` (raw bits, one per parameter) and stores its
   * results' bits in `results`; returns the trap kind, 0 when it returned.
   */
  call(func: FunctionInstance, args: u64[], results: u64[]): i32 {
    const params = func.type.params.length;
    const resultCount = func.type.results.length;
    const count = params > resultCount ? params : resultCount;
    const slots = new StaticArray<u64>(count > 0 ? count : 1);
    for (let i = 0; i < params && i < args.length; i++) slots[i] = args[i];
    const address = this.platform.address(changetype<usize>(slots));
    const trap = this.platform.invoke(func.code, func.vmctx, address, count);
    results.length = 0;
    if (trap != 0) return trap;
    for (let i = 0; i < resultCount; i++) {
      const type = func.type.results[i];
      let bits = slots[i];
      // An i32 or f32 result fills only the low half of its slot.
      if (type == 0x7f || type == 0x7d) bits &= 0xffffffff;
      results.push(bits);
    }
    return 0;
  }
}
