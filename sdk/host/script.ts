// Encoder for runtime scripts: the byte string that tells a linux-x64
// executable what to do with its payload components (docs/linux-runtime.md,
// "Scripts"), plus a reader for the spec-output lines it prints back.
//
// The CLI, the spec harness, the fuzzer and the benchmarks all build their
// scripts here, so the wire format is written in exactly one host file.
//
//   const script = new ScriptBuilder({ spec: true })
//     .instantiate(0, 0).register(0, "spectest")
//     .instantiate(1, 1).invoke(1, "add", [i32(1), i32(2)])
//     .bytes();

export const SCRIPT_MAGIC = "DSCR";
export const SCRIPT_VERSION = 1;

/** Script flags. */
export const SCRIPT_SPEC_OUTPUT = 1;

export const enum ScriptOp {
  Instantiate = 1,
  Register = 2,
  Invoke = 3,
  Get = 4,
  Start = 5,
}

export type ValueType = "i32" | "i64" | "f32" | "f64";

/** A wasm value as its type and raw bits (unsigned, 32 bits for i32/f32). */
export interface Value {
  type: ValueType;
  bits: bigint;
}

const typeCodes: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

export function typeCode(type: ValueType): number { return typeCodes[type]; }

export function i32(value: number | bigint): Value {
  return { type: "i32", bits: BigInt.asUintN(32, BigInt(value)) };
}
export function i64(value: number | bigint): Value {
  return { type: "i64", bits: BigInt.asUintN(64, BigInt(value)) };
}
export function f32(value: number): Value {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  return { type: "f32", bits: BigInt(view.getUint32(0, true)) };
}
export function f64(value: number): Value {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return { type: "f64", bits: view.getBigUint64(0, true) };
}
/** A value from its raw bits, e.g. the decimal strings of wast2json's JSON. */
export function fromBits(type: ValueType, bits: bigint | string | number): Value {
  const width = type === "i32" || type === "f32" ? 32 : 64;
  return { type, bits: BigInt.asUintN(width, BigInt(bits)) };
}

/** How the value prints in plain output (integers signed, floats shortest decimal), as the runtime prints it. */
export function formatPlain(value: Value): string {
  switch (value.type) {
    case "i32": return `i32:${BigInt.asIntN(32, value.bits)}`;
    case "i64": return `i64:${BigInt.asIntN(64, value.bits)}`;
    case "f32": return `f32:${formatFloatBits(value.bits, 24, 8)}`;
    case "f64": return `f64:${formatFloatBits(value.bits, 53, 11)}`;
  }
}

/**
 * The shortest decimal that reads back as the float with these bits (ties
 * to the even digit), laid out as Number#toString lays out its digits, with
 * `nan`, `inf`, `-inf` and `-0`: the runtime's float printing
 * (sdk/runtime/linux/float.ts), here with BigInt.
 */
export function formatFloatBits(bits: bigint, precision: number, exponentBits: number): string {
  const fractionBits = BigInt(precision - 1);
  const width = BigInt(precision + exponentBits);
  const negative = (bits >> (width - 1n)) & 1n ? "-" : "";
  const biasedMax = (1n << BigInt(exponentBits)) - 1n;
  const biased = (bits >> fractionBits) & biasedMax;
  const fraction = bits & ((1n << fractionBits) - 1n);
  if (biased === biasedMax) return fraction ? "nan" : `${negative}inf`;
  if (biased === 0n && fraction === 0n) return `${negative}0`;
  const bias = (1 << (exponentBits - 1)) - 1;
  const minExponent = 1 - bias - (precision - 1);
  const mantissa = biased === 0n ? fraction : fraction | (1n << fractionBits);
  const exponent = (biased === 0n ? 1 : Number(biased)) - bias - (precision - 1);
  const { digits, point } = shortestDigits(mantissa, exponent, precision, minExponent);
  const n = point;
  const k = digits.length;
  let text: string;
  if (k <= n && n <= 21) text = digits + "0".repeat(n - k);
  else if (0 < n && n <= 21) text = `${digits.slice(0, n)}.${digits.slice(n)}`;
  else if (-6 < n && n <= 0) text = `0.${"0".repeat(-n)}${digits}`;
  else text = `${digits[0]}${k > 1 ? "." + digits.slice(1) : ""}e${n - 1 < 0 ? "-" : "+"}${Math.abs(n - 1)}`;
  return negative + text;
}

/** Burger and Dybvig's free-format digits: value = 0.DIGITS x 10^point. */
function shortestDigits(mantissa: bigint, exponent: number, precision: number, minExponent: number): { digits: string; point: number } {
  const even = (mantissa & 1n) === 0n;
  const hidden = 1n << BigInt(precision - 1);
  let r: bigint, s: bigint, plus: bigint, minus: bigint;
  if (exponent >= 0) {
    const unit = 1n << BigInt(exponent);
    if (mantissa !== hidden) { r = mantissa * unit * 2n; s = 2n; plus = unit; minus = unit; }
    else { r = mantissa * unit * 4n; s = 4n; plus = unit * 2n; minus = unit; }
  } else if (exponent === minExponent || mantissa !== hidden) {
    r = mantissa * 2n; s = 1n << BigInt(1 - exponent); plus = 1n; minus = 1n;
  } else {
    r = mantissa * 4n; s = 1n << BigInt(2 - exponent); plus = 2n; minus = 1n;
  }
  const bitLength = mantissa.toString(2).length;
  let k = Math.ceil((exponent + bitLength - 1) * Math.log10(2) - 1e-10);
  if (k >= 0) s *= 10n ** BigInt(k);
  else { const scale = 10n ** BigInt(-k); r *= scale; plus *= scale; minus *= scale; }
  if (even ? r + plus >= s : r + plus > s) { s *= 10n; k++; }
  let digits = "";
  for (;;) {
    r *= 10n; plus *= 10n; minus *= 10n;
    let digit = r / s;
    r %= s;
    const low = even ? r <= minus : r < minus;
    const high = even ? r + plus >= s : r + plus > s;
    if (!low && !high) { digits += digit; continue; }
    if (low && high) { if (2n * r > s || (2n * r === s && (digit & 1n) === 1n)) digit++; }
    else if (high) digit++;
    return { digits: digits + digit, point: k };
  }
}

/** How the value prints in spec output: integers as unsigned decimal bits, floats as 0x-hex bits. */
export function formatSpec(value: Value): string {
  if (value.type === "i32" || value.type === "i64") return `${value.type}:${value.bits}`;
  const digits = value.type === "f32" ? 8 : 16;
  return `${value.type}:0x${value.bits.toString(16).padStart(digits, "0")}`;
}

export interface ScriptOptions {
  /** Spec output: one `#INDEX ...` line per command, raw float bits, scripts go on after traps. */
  spec?: boolean;
}

/** Builds a script command by command; every method returns the builder. */
export class ScriptBuilder {
  private readonly chunks: number[] = [];
  private commands = 0;
  private readonly flags: number;

  constructor(options: ScriptOptions = {}) {
    this.flags = options.spec ? SCRIPT_SPEC_OUTPUT : 0;
  }

  /** Number of commands so far; the next command's spec-output index. */
  get count(): number { return this.commands; }

  /** Instantiates payload component `component` as instance number `instance`. */
  instantiate(component: number, instance: number): this {
    this.op(ScriptOp.Instantiate).u32(component).u32(instance);
    return this;
  }

  /** Makes the instance's exports importable under module name `name`. */
  register(instance: number, name: string): this {
    this.op(ScriptOp.Register).u32(instance).string(name);
    return this;
  }

  /** Calls an exported function `repeat` times (a line `time_ns: N` follows when repeat > 1). */
  invoke(instance: number, name: string, args: Value[] = [], repeat = 1): this {
    this.op(ScriptOp.Invoke).u32(instance).string(name).u32(args.length);
    for (const arg of args) this.value(arg);
    this.u32(repeat);
    return this;
  }

  /** Reads an exported global. */
  get(instance: number, name: string): this {
    this.op(ScriptOp.Get).u32(instance).string(name);
    return this;
  }

  /** Calls the instance's exported `_start` as a WASI command. */
  start(instance: number): this {
    this.op(ScriptOp.Start).u32(instance);
    return this;
  }

  bytes(): Uint8Array {
    const header = new Uint8Array(16);
    const view = new DataView(header.buffer);
    for (let i = 0; i < 4; i++) header[i] = SCRIPT_MAGIC.charCodeAt(i);
    view.setUint32(4, SCRIPT_VERSION, true);
    view.setUint32(8, this.flags, true);
    view.setUint32(12, this.commands, true);
    const out = new Uint8Array(16 + this.chunks.length);
    out.set(header, 0);
    out.set(this.chunks, 16);
    return out;
  }

  private op(op: ScriptOp): this {
    this.commands++;
    this.chunks.push(op);
    return this;
  }

  private u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a u32: ${value}`);
    this.chunks.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
    return this;
  }

  private string(text: string): this {
    const bytes = new TextEncoder().encode(text);
    this.u32(bytes.length);
    for (const byte of bytes) this.chunks.push(byte);
    return this;
  }

  private value(value: Value): this {
    this.chunks.push(typeCode(value.type));
    let bits = BigInt.asUintN(64, value.bits);
    for (let i = 0; i < 8; i++) {
      this.chunks.push(Number(bits & 0xffn));
      bits >>= 8n;
    }
    return this;
  }
}

/** One line of spec output, parsed. */
export type SpecResult =
  | { index: number; kind: "ok" }
  /** Results of invoke or get; `ok` after an invoke without results reads as no values. */
  | { index: number; kind: "values"; values: Value[]; timeNs?: bigint }
  | { index: number; kind: "trap"; message: string }
  | { index: number; kind: "unlinkable"; message: string }
  | { index: number; kind: "error"; message: string };

/**
 * Parses the spec-output lines of a run (stdout), one result per command
 * index. Lines that do not start with `#` (program output) are skipped.
 */
export function parseSpecOutput(text: string): Map<number, SpecResult> {
  const results = new Map<number, SpecResult>();
  for (const line of text.split("\n")) {
    const match = /^#(\d+) ?(.*)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]);
    const rest = match[2];
    if (rest === "ok") results.set(index, { index, kind: "ok" });
    else if (rest.startsWith("trap: ")) results.set(index, { index, kind: "trap", message: rest.slice(6) });
    else if (rest.startsWith("unlinkable: ")) results.set(index, { index, kind: "unlinkable", message: rest.slice(12) });
    else if (rest.startsWith("error: ")) results.set(index, { index, kind: "error", message: rest.slice(7) });
    else {
      const values: Value[] = [];
      let timeNs: bigint | undefined;
      let words = rest;
      const timing = / ?time_ns: (\d+)$/.exec(words);
      if (timing) {
        timeNs = BigInt(timing[1]);
        words = words.slice(0, timing.index);
      }
      if (words === "ok") words = "";
      let readable = true;
      for (const word of words.split(" ")) {
        if (word === "") continue;
        const colon = word.indexOf(":");
        const type = word.slice(0, colon);
        if (type === "i32" || type === "i64" || type === "f32" || type === "f64") values.push(fromBits(type, word.slice(colon + 1)));
        else readable = false;
      }
      if (readable) results.set(index, { index, kind: "values", values, timeNs });
      else results.set(index, { index, kind: "error", message: `unreadable output: ${rest}` });
    }
  }
  return results;
}
