// The driver commands that produce code: Compile (one module to the `delos`
// component format) and LinkLinux (a linux-x64 executable). driver.ts
// dispatches to them.
//
// Inputs of LinkLinux: [runtime.wasm, script, module0.wasm, module1.wasm, ...];
// flags bit 0 selects explicit bounds checks for the modules (the runtime
// always uses guard regions; the modules are never privileged). Compile
// takes one module; flags bit 0 as for LinkLinux, bit 1 privileged. Bit 2
// selects the optimizing tier for the modules of either. Messages name the
// module that failed.

import { INTRINSICS_MODULE, X86_MODULE } from "../abi";
import { BoundsMode, CompiledCode, CompileOptions } from "../compiled";
import { decodeModule } from "../decode";
import { compileCode } from "../generate/index";
import { getMessage, inputs, setMessage, setOutput } from "../io";
import { Module } from "../module";
import { validateModule } from "../validate";
import { writeComponent } from "./component";
import { linkExecutable } from "./linux";
import { writePayload } from "./linux/payload";

/** Flag bit of Compile and LinkLinux: explicit bounds checks instead of guard regions. */
export const FLAG_EXPLICIT_BOUNDS: i32 = 1;
/** Flag bit of Compile: a privileged component (may import delos:native), such as the kernel. */
export const FLAG_PRIVILEGED: i32 = 2;
/** Flag bit of Compile and LinkLinux: compile the modules with the optimizing tier (opt/lower.ts; the linux runtime stays on the baseline). */
export const FLAG_TIER2: i32 = 4;

const STATUS_OK: i32 = 0;
const STATUS_INVALID: i32 = 1;

function fail(name: string): i32 {
  setMessage(name + ": " + getMessage());
  return STATUS_INVALID;
}

/**
 * Decodes, validates and compiles one module; null with the message set
 * (unprefixed). The function bodies are validated by compileCode, each just
 * before it is compiled.
 */
export function compileModule(bytes: Uint8Array, options: CompileOptions): CompiledCode | null {
  const module = decodeModule(bytes);
  if (module == null) return null;
  if (!validateModule(module!, false)) return null;
  if (!options.privileged) {
    for (let i = 0; i < module!.imports.length; i++) {
      const from = module!.imports[i].module;
      if (from != INTRINSICS_MODULE && from != X86_MODULE) continue;
      setMessage("imports " + from + "." + module!.imports[i].name + ", which only privileged components may");
      return null;
    }
  }
  const code = compileCode(module!, options);
  if (code != null) {
    tier2Functions += code.tier2Functions;
    tier2Fallbacks += code.tier2Fallbacks;
  }
  return code;
}

/** Over the modules compiled since the compiler started: functions the optimizing tier compiled, and those it left to the baseline. */
export let tier2Functions: i32 = 0;
export let tier2Fallbacks: i32 = 0;

function moduleOptions(flags: i32): CompileOptions {
  const options = new CompileOptions();
  options.bounds = (flags & FLAG_EXPLICIT_BOUNDS) != 0 ? BoundsMode.Explicit : BoundsMode.Guard;
  options.tier = (flags & FLAG_TIER2) != 0 ? 2 : 1;
  return options;
}

export function compileCommand(flags: i32): i32 {
  if (inputs.length != 1) {
    setMessage("Compile takes one module");
    return STATUS_INVALID;
  }
  const options = moduleOptions(flags);
  options.privileged = (flags & FLAG_PRIVILEGED) != 0;
  const code = compileModule(inputs[0], options);
  if (code == null) return STATUS_INVALID;
  setOutput(writeComponent(code!));
  return STATUS_OK;
}

export function linkLinuxCommand(flags: i32): i32 {
  if (inputs.length < 2) {
    setMessage("LinkLinux takes the runtime, a script and the modules");
    return STATUS_INVALID;
  }
  const components = new Array<Uint8Array>();
  const options = moduleOptions(flags);
  for (let i = 2; i < inputs.length; i++) {
    const code = compileModule(inputs[i], options);
    if (code == null) return fail("module " + (i - 2).toString());
    components.push(writeComponent(code!));
  }
  const runtimeOptions = new CompileOptions();
  runtimeOptions.privileged = true;
  const runtime = compileModule(inputs[0], runtimeOptions);
  if (runtime == null) return fail("runtime");
  const executable = linkExecutable(runtime!, writePayload(components, inputs[1]));
  if (executable == null) return STATUS_INVALID;
  setOutput(executable!);
  return STATUS_OK;
}
