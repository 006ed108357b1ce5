// The few pieces of the WebAssembly binary encoding that the harnesses use
// to write small helper modules (bit wrappers, the fuzzer's support module
// and instrumentation): LEB128, names, sections, vectors, function types.

export const valueTypeCodes: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128. */
export function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

/** Signed LEB128 of a 64-bit value (i64.const, i32.const immediates). */
export function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (b & 0x40) === 0) || (value === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb(bytes.length), ...bytes];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

export function vector(items: number[][]): number[] {
  return [...leb(items.length), ...items.flat()];
}

export function funcType(params: string[], results: string[]): number[] {
  return [0x60, ...leb(params.length), ...params.map((t) => valueTypeCodes[t]), ...leb(results.length), ...results.map((t) => valueTypeCodes[t])];
}

/** A code-section entry: locals given one per local, then the body's instructions (with its `end`). */
export function functionBody(locals: string[], instructions: number[]): number[] {
  const body = [...leb(locals.length), ...locals.flatMap((t) => [1, valueTypeCodes[t]]), ...instructions];
  return [...leb(body.length), ...body];
}
