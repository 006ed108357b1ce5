// Runs the Delos compiler (AssemblyScript, built to build/compiler.wasm) inside
// Node. Every job gets a fresh instance: the compiler's allocator never frees,
// and a fresh instance also means one job can never disturb the next.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "./paths";

export const enum Command {
  Validate = 1,
  Compile = 2,
  LinkLinux = 3,
  /** Export signatures of a valid module (sdk/compiler/src/describe.ts). */
  Describe = 4,
  /** The optimizing tier's verified SSA form, as text (sdk/compiler/src/opt/command.ts). */
  Ir = 5,
}

export class CompileError extends Error {}

let compiled: WebAssembly.Module | null = null;

function compilerModule(): WebAssembly.Module {
  if (!compiled) compiled = new WebAssembly.Module(readFileSync(join(buildDir, "compiler.wasm")));
  return compiled;
}

interface CompilerExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  inputAlloc(length: number): number;
  run(command: number, flags: number): number;
  outputPtr(): number;
  outputLength(): number;
  messagePtr(): number;
  messageLength(): number;
  tier2Compiled(): number;
  tier2FellBack(): number;
}

/** What the optimizing tier did in the last compiler command: functions compiled, and functions left to the baseline. */
export const tier2Stats = { compiled: 0, fellBack: 0 };
/** The same, summed over every compiler command this process ran. */
export const tier2Totals = { compiled: 0, fellBack: 0 };

/** Runs one compiler command over the given inputs; throws CompileError with the compiler's message on failure. */
export function runCompiler(command: Command, inputs: Uint8Array[], flags = 0): Uint8Array {
  const instance = new WebAssembly.Instance(compilerModule(), {
    env: {
      abort(messagePtr: number, filePtr: number, line: number, column: number) {
        const exports = instance.exports as unknown as CompilerExports;
        const text = (ptr: number) => {
          if (!ptr) return "";
          const view = new Uint32Array(exports.memory.buffer);
          const length = view[(ptr - 4) >>> 2] >>> 1;
          return String.fromCharCode(...new Uint16Array(exports.memory.buffer, ptr, length));
        };
        throw new CompileError(`compiler aborted: ${text(messagePtr)} at ${text(filePtr)}:${line}:${column}`);
      },
      trace() {},
      seed() { return 0; },
    },
  });
  const exports = instance.exports as unknown as CompilerExports;
  exports._initialize?.();
  for (const input of inputs) {
    const ptr = exports.inputAlloc(input.length);
    new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
  }
  const status = exports.run(command, flags);
  tier2Stats.compiled = exports.tier2Compiled();
  tier2Stats.fellBack = exports.tier2FellBack();
  tier2Totals.compiled += tier2Stats.compiled;
  tier2Totals.fellBack += tier2Stats.fellBack;
  if (status !== 0) {
    const bytes = new Uint8Array(exports.memory.buffer, exports.messagePtr(), exports.messageLength());
    throw new CompileError(new TextDecoder().decode(bytes));
  }
  return new Uint8Array(exports.memory.buffer, exports.outputPtr(), exports.outputLength()).slice();
}

/** Decodes and validates a module: null when valid, else the error message. */
export function validateWasm(bytes: Uint8Array): string | null {
  try {
    runCompiler(Command.Validate, [bytes]);
    return null;
  } catch (error) {
    if (error instanceof CompileError) return error.message;
    throw error;
  }
}
