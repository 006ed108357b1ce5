// How `delos.*` imports become system calls. The generated dispatch
// (kernel/generated/, from ipc/table) defines each call once at boot with
// defineSystemCall: its import name, its wasm type, the dispatch function
// (an AssemblyScript function reference's table index) and the capability
// kind it needs, if any. The loader offers them all to components as the
// host module `delos`: an import of `delos.msg_send` is a {code, vmctx}
// slot holding the dispatch function's native code and the kernel's own
// vmctx, so a system call is an ordinary cross-instance call
// (docs/compiler-abi.md: r14/r15 switch to the kernel's). Before a
// component is instantiated, checkImports refuses an import of a call the
// component's rights do not cover (policy.ts).

import { ExternKind, FuncType, ValType } from "../../sdk/compiler/src/module";
import { Linker } from "../../sdk/loader/linker";
import { CompiledComponent } from "../../sdk/loader/component";
import { codeOf, link } from "../arch/x86_64/handoff";
import {
  FAST_PATH_ENTRY, FAST_PATH_FALLBACK, FAST_PATH_NAMES, FAST_PATH_END, FAST_PATH_RECORD_SIZE, LINK_FAST_PATHS, LINK_VMCTX,
} from "../arch/x86_64/link-info";
import { load64, store64 } from "../arch/x86_64/native";
import * as console from "../console";
import { Manifest } from "./manifest";
import { importProblem } from "./policy";

/** The module components import system calls from. */
export const SYSTEM_MODULE = "delos";

export class SystemCall {
  constructor(
    /** The import name: `msg_send`. */
    readonly name: string,
    readonly type: FuncType,
    /** Native code of the dispatch function, or of the link's native fast path in front of it. */
    readonly code: u64,
    /** The capability kind the call needs (policy.ts), "" for none. */
    readonly capability: string,
  ) {}
}

const calls = new Array<SystemCall>();

function valueTypes(letters: string): u8[] {
  const types = new Array<u8>();
  for (let i = 0; i < letters.length; i++) types.push(letters.charCodeAt(i) == 0x49 ? <u8>ValType.I64 : <u8>ValType.I32);
  return types;
}

/**
 * The code an import of call `name` is bound to: the link's native fast
 * path when it has one for the call (arch/x86_64/link/fast-path.ts), which
 * falls back to `dispatch` (written into its record here), else `dispatch`.
 * (A kernel linked without them, as the link's tests link a minimal one,
 * finds entries of 0.)
 */
function entryCode(name: string, dispatch: u64): u64 {
  for (let i = 0; i < FAST_PATH_NAMES.length; i++) {
    if (FAST_PATH_NAMES[i] != name) continue;
    const record = link(LINK_FAST_PATHS) + <i64>(i * FAST_PATH_RECORD_SIZE);
    const entry = <u64>load64(record + FAST_PATH_ENTRY);
    if (entry == 0) break;
    store64(record + FAST_PATH_FALLBACK, <i64>dispatch);
    // `npm run trace` finds the native code by this line.
    console.begin();
    console.text("syscall: " + name + ": native fast path at ");
    console.hex(entry);
    console.text(" (");
    console.decimal(<u64>load64(record + FAST_PATH_END) - entry);
    console.text(" bytes), falling back to its dispatch at ");
    console.hex(dispatch);
    console.end();
    return entry;
  }
  return dispatch;
}

/**
 * Defines system call `name` (the import name, `msg_send`): parameter and
 * result types as letters (`i` i32, `I` i64: "iiii", "i"), the dispatch
 * function as `dispatchFunction.index`, and the capability kind it needs
 * ("" for none). Redefining a name replaces it.
 */
export function defineSystemCall(name: string, params: string, results: string, functionIndex: u32, capability: string): void {
  const type = new FuncType();
  type.params = valueTypes(params);
  type.results = valueTypes(results);
  const dispatch = <u64>codeOf(functionIndex);
  const call = new SystemCall(name, type, dispatch == 0 ? 0 : entryCode(name, dispatch), capability);
  for (let i = 0; i < calls.length; i++) {
    if (calls[i].name == name) { calls[i] = call; return; }
  }
  calls.push(call);
}

export function systemCalls(): SystemCall[] { return calls; }

export function findSystemCall(name: string): SystemCall | null {
  for (let i = 0; i < calls.length; i++) if (calls[i].name == name) return calls[i];
  return null;
}

/** Offers every defined system call to components through `linker` as module `delos`. */
export function bindSystemCalls(linker: Linker): void {
  const vmctx = <u64>link(LINK_VMCTX);
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i];
    if (call.code == 0) continue;
    linker.defineHost(SYSTEM_MODULE, call.name, call.type, call.code, vmctx);
  }
}

/**
 * Why `compiled` may not be instantiated for a component with `rights`,
 * or "": it imports from a module other than `delos`, a call that does not
 * exist, or a call its rights do not cover.
 */
export function checkImports(compiled: CompiledComponent, rights: Manifest): string {
  for (let i = 0; i < compiled.imports.length; i++) {
    const entry = compiled.imports[i];
    if (entry.module != SYSTEM_MODULE) {
      return "import " + entry.module + "." + entry.name + " is not granted: components import only system calls (module " + SYSTEM_MODULE + ")";
    }
    if (entry.kind != ExternKind.Func) return "import " + entry.module + "." + entry.name + " is not a function";
    const call = findSystemCall(entry.name);
    if (call == null) return "unknown import " + entry.module + "." + entry.name + ": no such system call";
    const problem = importProblem(rights, entry.name, call.capability);
    if (problem.length > 0) return problem;
  }
  return "";
}
