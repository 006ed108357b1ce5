// The Delos compiler running on Delos. build/compiler.wasm is compiled at
// image build time into a component (system/compiler.delos in the payload);
// the kernel instantiates it through the loader like any component, fresh
// for every compilation (its allocator only bumps), and drives the
// protocol of sdk/compiler/src/index.ts: _initialize, inputAlloc(length)
// and the wasm written there, run(Compile, flags), then the component at
// outputPtr/outputLength or the message at messagePtr/messageLength. Its
// memory is released when the compilation ends. It runs on the loader
// thread with interrupts on, so the rest of the system keeps running.
//
// Its one import, AssemblyScript's `env.abort` (an assertion or a bounds
// check of its library failed, or it ran out of memory), is a kernel
// function that records the message and traps, which ends the call into
// the compiler: the compilation fails with that message. Components cannot
// import it (they import only `delos`).

import { CompiledComponent, readComponent } from "../../sdk/loader/component";
import { loaderError } from "../../sdk/loader/error";
import { Instance, instantiate } from "../../sdk/loader/instance";
import { Linker } from "../../sdk/loader/linker";
import { MemoryInstance } from "../../sdk/loader/extern";
import { FuncType, ValType } from "../../sdk/compiler/src/module";
import { cli } from "../arch/x86_64/cpu";
import { codeOf, link } from "../arch/x86_64/handoff";
import { LINK_VMCTX } from "../arch/x86_64/link-info";
import { load32, load8 } from "../arch/x86_64/native";
import { trapMessage } from "../../sdk/compiler/src/traps";
import { copyIn, copyOut } from "./copy";
import { readPayloadFile } from "./payload";
import { releaseRegion } from "./region";

export const COMPILER_PATH = "system/compiler.delos";
/** The compiler's Compile command (sdk/compiler/src/driver.ts); flags 0: guard-region mode, unprivileged. */
const COMMAND_COMPILE: u64 = 2;

let compiler: CompiledComponent | null = null;
/** The memory of the compiler instance at work (the loader thread compiles one module at a time). */
let activeMemory: MemoryInstance | null = null;
let abortMessage: string = "";
/** Why the last compileWasm failed. */
export let compileError: string = "";
let compilations: u32 = 0;

export function compilationCount(): u32 { return compilations; }

/** The compiler's compiled component, once read (null before). */
export function compilerCode(): CompiledComponent | null { return compiler; }

/** The compiler component, read from the payload once; null with compileError set. */
function compilerComponent(): CompiledComponent | null {
  if (compiler != null) return compiler;
  const bytes = readPayloadFile(COMPILER_PATH);
  if (bytes == null) { compileError = "the payload holds no compiler (" + COMPILER_PATH + ")"; return null; }
  const component = readComponent(bytes!);
  if (component == null) { compileError = COMPILER_PATH + ": " + loaderError(); return null; }
  compiler = component;
  return component;
}

/** An AssemblyScript string of the compiler's memory (UTF-16, its byte length 4 bytes before it), ASCII kept. */
function compilerString(pointer: u32): string {
  const memory = activeMemory;
  if (memory == null || pointer < 4 || <u64>pointer > memory.length) return "?";
  const base = memory.base;
  const bytes = <u32>load32(<i64>(base + <u64>pointer - 4));
  if (<u64>pointer + <u64>bytes > memory.length || bytes > 1024) return "?";
  let text = "";
  for (let i: u32 = 0; i + 1 < bytes; i += 2) {
    const character = load8(<i64>(base + <u64>(pointer + i))) & 0xff;
    text += String.fromCharCode(character >= 0x20 && character < 0x7f ? character : 0x3f);
  }
  return text;
}

/** env.abort of the compiler instance: records why and traps, ending the call into the compiler. */
function compilerAbort(message: i32, file: i32, line: i32, column: i32): void {
  cli();
  abortMessage = "aborted: " + compilerString(<u32>message) + " at " + compilerString(<u32>file) + ":" + line.toString() + ":" + column.toString();
  unreachable();
}

/** Offers the compiler's env.abort through `linker` (once). */
let abortDefined = false;
function defineAbort(linker: Linker): void {
  if (abortDefined) return;
  abortDefined = true;
  const type = new FuncType();
  type.params = [<u8>ValType.I32, <u8>ValType.I32, <u8>ValType.I32, <u8>ValType.I32];
  linker.defineHost("env", "abort", type, <u64>codeOf(compilerAbort.index), <u64>link(LINK_VMCTX));
}

/** Calls export `name` of the compiler instance; false with compileError set when it is missing or traps. */
function call(linker: Linker, instance: Instance, name: string, args: u64[], results: u64[]): bool {
  const value = instance.findExport(name);
  if (value == null || value.func == null) { compileError = "the compiler exports no " + name; return false; }
  const trap = linker.call(value.func!, args, results);
  if (trap != 0) {
    compileError = abortMessage.length > 0 ? "the compiler " + abortMessage : "the compiler trapped in " + name + ": " + trapMessage(trap);
    return false;
  }
  return true;
}

function compileWith(linker: Linker, instance: Instance, wasm: Uint8Array): Uint8Array | null {
  const results = new Array<u64>();
  if (!call(linker, instance, "_initialize", [], results)) return null;
  if (!call(linker, instance, "inputAlloc", [<u64>wasm.length], results)) return null;
  const memory = instance.memory!;
  const input = results[0];
  if (input + <u64>wasm.length > memory.length) { compileError = "the compiler's input buffer is outside its memory"; return null; }
  copyOut(memory.base + input, wasm.dataStart, <u64>wasm.length);
  if (!call(linker, instance, "run", [COMMAND_COMPILE, 0], results)) return null;
  const status = results[0];
  const ok = status == 0;
  if (!call(linker, instance, ok ? "outputPtr" : "messagePtr", [], results)) return null;
  const pointer = results[0];
  if (!call(linker, instance, ok ? "outputLength" : "messageLength", [], results)) return null;
  const length = results[0];
  if (pointer + length > memory.length || length > <u64>0x7fffffff) { compileError = "the compiler's output is outside its memory"; return null; }
  const bytes = new Uint8Array(<i32>length);
  copyIn(bytes.dataStart, memory.base + pointer, length);
  if (ok) return bytes;
  compileError = String.UTF8.decodeUnsafe(bytes.dataStart, <usize>bytes.length);
  return null;
}

/** Compiles `wasm` to a component (docs/delos-format.md); null with compileError set. */
export function compileWasm(linker: Linker, wasm: Uint8Array): Uint8Array | null {
  const component = compilerComponent();
  if (component == null) return null;
  defineAbort(linker);
  const instance = instantiate(component!, linker);
  if (instance == null) { compileError = "the compiler: " + loaderError(); return null; }
  compilations++;
  activeMemory = instance!.memory;
  abortMessage = "";
  const result = compileWith(linker, instance!, wasm);
  activeMemory = null;
  const memory = instance!.memory;
  if (memory != null) releaseRegion(memory.base);
  return result;
}
