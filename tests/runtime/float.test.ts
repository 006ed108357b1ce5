// Tests of the runtime's float printing (sdk/runtime/linux/float.ts), run in
// V8 through tests/runtime/assembly/float.ts: f64 exactly as JavaScript
// prints numbers, f32 the shortest decimal that reads back as the same f32,
// and both the same as the host's formatPlain (sdk/host/script.ts).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { formatFloatBits } from "../../sdk/host/script";

interface FloatPrinter {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  printF64(bits: bigint): number;
  printF32(bits: number): number;
  textPtr(): number;
}

let compiled: WebAssembly.Module | null = null;

function printer(): FloatPrinter {
  compiled ??= new WebAssembly.Module(readFileSync(join(buildDir, "tests", "runtime-float.wasm")));
  const instance = new WebAssembly.Instance(compiled, {
    env: { abort() { throw new Error("float printer aborted"); } },
  });
  const exports = instance.exports as unknown as FloatPrinter;
  exports._initialize?.();
  return exports;
}

/** Prints many values, starting a fresh instance now and then (its allocator never frees). */
function printAll(values: bigint[], print: (p: FloatPrinter, bits: bigint) => number): string[] {
  const texts: string[] = [];
  let p = printer();
  for (const [i, bits] of values.entries()) {
    if (i % 5000 === 4999) p = printer();
    const length = print(p, bits);
    texts.push(new TextDecoder().decode(new Uint8Array(p.memory.buffer, p.textPtr(), length)));
  }
  return texts;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function javascript(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

export function register(test: TestFunction): void {
  test("f64 prints as JavaScript prints it", (t) => {
    const next = random(64);
    const view = new DataView(new ArrayBuffer(8));
    const values: bigint[] = [0n, 0x8000000000000000n, 1n, 0x000fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn,
      0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000001n, 0x3ff8000000000000n, 0x44b52d02c7e14af6n];
    for (const x of [0.1, 1e21, 1e-7, 123e-7, 5e-324, 2 ** 53, 1 / 3, -1.5e300, 100, 0.000001]) {
      view.setFloat64(0, x, true);
      values.push(view.getBigUint64(0, true));
    }
    for (let i = 0; i < 6000; i++) {
      view.setUint32(0, Math.floor(next() * 2 ** 32), true);
      view.setUint32(4, Math.floor(next() * 2 ** 32), true);
      values.push(view.getBigUint64(0, true));
    }
    const texts = printAll(values, (p, bits) => p.printF64(bits));
    const wrong: string[] = [];
    values.forEach((bits, i) => {
      view.setBigUint64(0, bits, true);
      const expected = javascript(view.getFloat64(0, true));
      if (texts[i] !== expected || formatFloatBits(bits, 53, 11) !== expected) {
        wrong.push(`0x${bits.toString(16)}: runtime ${texts[i]}, host ${formatFloatBits(bits, 53, 11)}, JavaScript ${expected}`);
      }
    });
    t.eq(wrong.slice(0, 5), [], `${wrong.length} of ${values.length} f64 values differ`);
  });

  test("f32 prints the shortest decimal that reads back as the same f32", (t) => {
    const next = random(32);
    const view = new DataView(new ArrayBuffer(4));
    const values: bigint[] = [0n, 0x80000000n, 1n, 0x7fffffn, 0x800000n, 0x7f7fffffn, 0x7f800000n, 0xff800000n, 0x7fc00000n,
      0x3dcccccdn, 0x3f800000n, 0x4a3b2c1fn];
    for (let i = 0; i < 6000; i++) values.push(BigInt(Math.floor(next() * 2 ** 32)));
    const texts = printAll(values, (p, bits) => p.printF32(Number(bits)));
    const wrong: string[] = [];
    values.forEach((bits, i) => {
      view.setUint32(0, Number(bits), true);
      const value = view.getFloat32(0, true);
      const text = texts[i];
      const host = formatFloatBits(bits, 24, 8);
      if (text !== host) { wrong.push(`0x${bits.toString(16)}: runtime ${text}, host ${host}`); return; }
      if (!Number.isFinite(value) || value === 0) {
        if (text !== javascript(value)) wrong.push(`0x${bits.toString(16)}: ${text}`);
        return;
      }
      if (Math.fround(Number(text)) !== value) { wrong.push(`0x${bits.toString(16)}: ${text} reads back as ${Math.fround(Number(text))}`); return; }
      // No shorter decimal reads back: JavaScript's correctly rounded toPrecision finds the shortest length.
      let shortest = 9;
      for (let p = 1; p <= 9; p++) if (Math.fround(Number(value.toPrecision(p))) === value) { shortest = p; break; }
      const digits = text.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length;
      if (digits > shortest) wrong.push(`0x${bits.toString(16)}: ${text} has ${digits} digits, ${shortest} suffice`);
    });
    t.eq(wrong.slice(0, 5), [], `${wrong.length} of ${values.length} f32 values wrong`);
  });

  test("the host formats f32 like the runtime on ties (even digit)", (t) => {
    // 3066232.25 lies exactly between the shortest candidates 3066232.2 and 3066232.3.
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, 3066232.25, true);
    t.eq(formatFloatBits(BigInt(view.getUint32(0, true)), 24, 8), "3066232.2");
  });
}
