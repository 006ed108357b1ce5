// The read-only tables the kernel reads to turn a native pc into a wasm
// location (kernel/debug/locations.ts): where each function's code lies,
// the component's pc map, decoded to fixed-size entries so that the kernel
// can search it without a LEB128 reader, and each function's name from the
// kernel wasm's "name" section when it has one (asc --debug keeps it).

import { CompiledComponent } from "../../../../sdk/loader/component";

/** Per defined function: codeOffset u32, codeSize u32. */
export function functionTable(component: CompiledComponent): Uint8Array {
  const table = new Uint8Array(max(8 * component.functions.length, 8));
  for (let i = 0; i < component.functions.length; i++) {
    store<u32>(table.dataStart + <usize>(8 * i), component.functions[i].codeOffset);
    store<u32>(table.dataStart + <usize>(8 * i + 4), component.functions[i].codeSize);
  }
  return table;
}

/** nativeOffset u32, function u32, wasmOffset u32 per entry. */
export function pcMapTable(component: CompiledComponent): Uint8Array {
  const count = component.pcNative.length;
  const table = new Uint8Array(max(12 * count, 12));
  for (let i = 0; i < count; i++) {
    const at = table.dataStart + <usize>(12 * i);
    store<u32>(at, component.pcNative[i]);
    store<u32>(at + 4, component.pcFunction[i]);
    store<u32>(at + 8, component.pcWasm[i]);
  }
  return table;
}

class Cursor {
  constructor(public bytes: Uint8Array, public at: i32, public end: i32) {}
  ok: bool = true;

  byte(): u32 {
    if (this.at >= this.end) { this.ok = false; return 0; }
    return this.bytes[this.at++];
  }

  uleb(): u32 {
    let result: u32 = 0;
    for (let shift: u32 = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return result;
    }
    this.ok = false;
    return 0;
  }
}

export class NameTables {
  /** Per function index: offset u32, length u32 into `bytes`. */
  index: Uint8Array;
  bytes: Uint8Array;
  constructor(index: Uint8Array, bytes: Uint8Array) { this.index = index; this.bytes = bytes; }
}

/**
 * Function names from the "name" section of `wasm`, for `functionCount`
 * functions. A missing or malformed section gives no names, never an error:
 * names only make reports easier to read.
 */
export function nameTables(wasm: Uint8Array | null, functionCount: i32): NameTables {
  const index = new Uint8Array(max(8 * functionCount, 8));
  const text = new Array<u8>();
  if (wasm == null || wasm.length < 8) return new NameTables(index, new Uint8Array(1));
  const module = new Cursor(wasm, 8, wasm.length);
  while (module.ok && module.at < module.end) {
    const id = module.byte();
    const size = module.uleb();
    const end = module.at + <i32>size;
    if (!module.ok || end > module.end || end < module.at) break;
    if (id == 0) {
      const section = new Cursor(wasm, module.at, end);
      const nameLength = section.uleb();
      const isName = nameLength == 4 && section.at + 4 <= end
        && wasm[section.at] == 0x6e && wasm[section.at + 1] == 0x61 && wasm[section.at + 2] == 0x6d && wasm[section.at + 3] == 0x65;
      if (isName) {
        section.at += 4;
        while (section.ok && section.at < end) {
          const subsection = section.byte();
          const subsectionSize = section.uleb();
          const subsectionEnd = section.at + <i32>subsectionSize;
          if (!section.ok || subsectionEnd > end) break;
          if (subsection == 1) {
            const names = new Cursor(wasm, section.at, subsectionEnd);
            const count = names.uleb();
            for (let i: u32 = 0; i < count && names.ok; i++) {
              const funcIndex = names.uleb();
              const length = names.uleb();
              if (!names.ok || names.at + <i32>length > subsectionEnd) break;
              if (funcIndex < <u32>functionCount) {
                store<u32>(index.dataStart + <usize>(8 * funcIndex), <u32>text.length);
                store<u32>(index.dataStart + <usize>(8 * funcIndex + 4), length);
                for (let b = 0; b < <i32>length; b++) text.push(wasm[names.at + b]);
              }
              names.at += <i32>length;
            }
          }
          section.at = subsectionEnd;
        }
      }
    }
    module.at = end;
  }
  const bytes = new Uint8Array(max(text.length, 1));
  for (let i = 0; i < text.length; i++) bytes[i] = text[i];
  return new NameTables(index, bytes);
}
