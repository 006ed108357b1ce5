// Reads the parts of build/kernel.wasm that the boot tests compare the
// kernel's fault reports with: each function's name (the "name" section
// asc --debug keeps) and where its body lies in the binary, so that a
// reported (function index, wasm offset) can be checked to be inside that
// function and at the instruction that faulted.

export interface KernelFunction { index: number; name: string; bodyStart: number; bodyEnd: number; }

class Reader {
  at: number;
  constructor(readonly bytes: Uint8Array, at = 0) { this.at = at; }
  byte(): number { return this.bytes[this.at++]!; }
  uleb(): number {
    let result = 0, shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  name(): string {
    const length = this.uleb();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
}

/** Every function with its name and body range; imports have no body (start = end = -1). */
export function kernelFunctions(wasm: Uint8Array): KernelFunction[] {
  const module = new Reader(wasm, 8);
  let imported = 0;
  const bodies: Array<[number, number]> = [];
  const names = new Map<number, string>();
  while (module.at < wasm.length) {
    const id = module.byte();
    const size = module.uleb();
    const end = module.at + size;
    const section = new Reader(wasm, module.at);
    if (id === 2) {
      const count = section.uleb();
      for (let i = 0; i < count; i++) {
        section.name();
        section.name();
        const kind = section.byte();
        if (kind === 0) { section.uleb(); imported++; }
        else if (kind === 1) { section.byte(); const flags = section.byte(); section.uleb(); if (flags & 1) section.uleb(); }
        else if (kind === 2) { const flags = section.byte(); section.uleb(); if (flags & 1) section.uleb(); }
        else { section.byte(); section.byte(); }
      }
    } else if (id === 10) {
      const count = section.uleb();
      for (let i = 0; i < count; i++) {
        // A body's range starts at its size field: the stack check of the prologue is reported there.
        const start = section.at;
        const bodySize = section.uleb();
        bodies.push([start, section.at + bodySize]);
        section.at += bodySize;
      }
    } else if (id === 0 && section.name() === "name") {
      while (section.at < end) {
        const subsection = section.byte();
        const subsectionEnd = section.uleb() + section.at;
        if (subsection === 1) {
          const count = section.uleb();
          for (let i = 0; i < count; i++) names.set(section.uleb(), section.name());
        }
        section.at = subsectionEnd;
      }
    }
    module.at = end;
  }
  const functions: KernelFunction[] = [];
  for (let index = 0; index < imported + bodies.length; index++) {
    const body = index >= imported ? bodies[index - imported]! : [-1, -1];
    functions.push({ index, name: names.get(index) ?? "", bodyStart: body[0], bodyEnd: body[1] });
  }
  return functions;
}
