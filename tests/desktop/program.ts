// What the desktop's host tests share: an AssemblyScript test program
// (tests/desktop/assembly, built with the incremental runtime and its
// exports) loaded in V8, strings and bytes passed in, strings read back.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "../../sdk/host/paths";

const STRING_ID = 2; // AssemblyScript's class id of String

export interface Program {
  memory: WebAssembly.Memory;
  _initialize(): void;
  __new(size: number, id: number): number;
  __pin(pointer: number): number;
  allocate(bytes: number): number;
}

/** Instantiates build/tests/desktop-NAME.wasm; an abort inside it throws with its message and place. */
export function loadProgram<T extends Program>(name: string): T {
  const module = new WebAssembly.Module(readFileSync(join(buildDir, "tests", `desktop-${name}.wasm`)));
  let program: T | null = null;
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(message: number, file: number, line: number) {
        throw new Error(`desktop ${name} aborted: ${readString(program!, message)} at ${readString(program!, file)}:${line}`);
      },
    },
  });
  program = instance.exports as unknown as T;
  program._initialize();
  return program;
}

export function readString(program: Program, pointer: number): string {
  if (pointer === 0) return "";
  const bytes = new Uint32Array(program.memory.buffer, pointer - 4, 1)[0]!;
  let text = "";
  const units = new Uint16Array(program.memory.buffer, pointer, bytes / 2);
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.subarray(i, i + 4096));
  return text;
}

/** A pinned string in the program's memory. */
export function newString(program: Program, text: string): number {
  const pointer = program.__pin(program.__new(text.length * 2, STRING_ID));
  const units = new Uint16Array(program.memory.buffer, pointer, text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return pointer;
}

/** `bytes` copied into memory the program allocated; their address. */
export function giveBytes(program: Program, bytes: Uint8Array): number {
  const at = program.allocate(Math.max(1, bytes.length));
  new Uint8Array(program.memory.buffer, at, bytes.length).set(bytes);
  return at;
}

/** A copy of `width` × `height` pixels at `at`. */
export function readPixels(program: Program, at: number, width: number, height: number): Uint32Array {
  return new Uint32Array(program.memory.buffer.slice(at, at + width * height * 4));
}
