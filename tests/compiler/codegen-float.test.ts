// The generator's float instructions and conversions, run natively and
// compared with V8: arithmetic with operands in every stack place, min/max
// with zeros of both signs and NaNs, comparisons with NaN alone and fused
// into br_if/if/select, abs/neg/copysign bit for bit on NaN payloads,
// rounding (nearest is half to even), the trapping and saturating
// truncations at their exact bounds, and integer-to-float rounding.

import type { TestFunction } from "../harness";
import { Call, Outcome, Value, differential, expectOutcomes, f32, f64, fromBits, i32, i64, wat } from "./codegen";

const TIMEOUT = 300_000;

const FLOATS = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 0.49999999999999994, 1e10, -1e-10,
  Infinity, -Infinity, NaN, 3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45,
  2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296, 9223372036854775807,
  -9223372036854775808, 18446744073709551615, 18446744073709551616, -0.9, 0.9999999, 2147483647.5,
  -2147483648.5, 4294967295.5, 4503599627370497, 1.7976931348623157e308, 5e-324];

const BINARY = ["add", "sub", "mul", "div", "min", "max", "copysign"];
const UNARY = ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"];
const COMPARE = ["eq", "ne", "lt", "gt", "le", "ge"];
const CONSTANTS = ["0", "-0", "1.5", "-2.5", "inf", "nan", "0x1p-149"];

function binaryFunctions(t: string, op: string): string {
  const name = `${t}.${op}`;
  const result = COMPARE.includes(op) ? "i32" : t;
  let text = `(func (export "${name}") (param ${t} ${t}) (result ${result}) (${name} (local.get 0) (local.get 1)))
    (func (export "${name}/reg") (param ${t} ${t}) (result ${result})
      (${name} (${t}.add (local.get 0) (${t}.const -0)) (${t}.add (local.get 1) (${t}.const -0))))
    (func (export "${name}/slot") (param ${t} ${t}) (result ${result})
      (${name} (block (result ${t}) (br 0 (local.get 0))) (block (result ${t}) (br 0 (local.get 1)))))\n`;
  if (COMPARE.includes(op)) {
    text += `(func (export "${name}/br_if") (param ${t} ${t}) (result i32)
      (block (result i32) (br_if 0 (i32.const 11) (${name} (local.get 0) (local.get 1))) (drop) (i32.const 22)))
    (func (export "${name}/if") (param ${t} ${t}) (result i32)
      (if (result i32) (${name} (local.get 0) (local.get 1)) (then (i32.const 11)) (else (i32.const 22))))
    (func (export "${name}/select") (param ${t} ${t}) (result i32)
      (select (i32.const 11) (i32.const 22) (${name} (local.get 0) (local.get 1))))
    (func (export "${name}/select-float") (param ${t} ${t}) (result ${t})
      (select (local.get 0) (local.get 1) (${name} (local.get 0) (local.get 1))))\n`;
  }
  CONSTANTS.forEach((c, k) => {
    text += `(func (export "${name}/right${k}") (param ${t}) (result ${result}) (${name} (local.get 0) (${t}.const ${c})))
      (func (export "${name}/left${k}") (param ${t}) (result ${result}) (${name} (${t}.const ${c}) (local.get 0)))\n`;
  });
  return text;
}

function value(t: string, x: number): Value {
  return t === "f32" ? f32(x) : f64(x);
}

function binaryCalls(t: string, op: string): Call[] {
  const calls: Call[] = [];
  const name = `${t}.${op}`;
  const variants = ["", "/reg", "/slot", ...(COMPARE.includes(op) ? ["/br_if", "/if", "/select", "/select-float"] : [])];
  for (const variant of variants) for (const a of FLOATS) for (const b of FLOATS) calls.push({ name: name + variant, args: [value(t, a), value(t, b)] });
  CONSTANTS.forEach((_c, k) => {
    for (const a of FLOATS) {
      calls.push({ name: `${name}/right${k}`, args: [value(t, a)] });
      calls.push({ name: `${name}/left${k}`, args: [value(t, a)] });
    }
  });
  return calls;
}

/** Bit patterns with NaN payloads of both signs, quiet and signalling, and ordinary values. */
const F32_BITS = [0x7fc00000, 0xffc00000, 0x7fa00001, 0xff800001, 0x7f800000, 0x00000001, 0x80000000, 0x3f800000, 0xbf800000, 0x7fffffff];
const F64_BITS = [0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000001n, 0xfff0000000000001n,
  0x7ff0000000000000n, 1n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7fffffffffffffffn];

const BITS_MODULE = `(module
  (func (export "f32.abs") (param i32) (result i32) (i32.reinterpret_f32 (f32.abs (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32.neg") (param i32) (result i32) (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32.copysign") (param i32 i32) (result i32)
    (i32.reinterpret_f32 (f32.copysign (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  (func (export "f64.abs") (param i64) (result i64) (i64.reinterpret_f64 (f64.abs (f64.reinterpret_i64 (local.get 0)))))
  (func (export "f64.neg") (param i64) (result i64) (i64.reinterpret_f64 (f64.neg (f64.reinterpret_i64 (local.get 0)))))
  (func (export "f64.copysign") (param i64 i64) (result i64)
    (i64.reinterpret_f64 (f64.copysign (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
  ;; A NaN result must be a NaN with the quiet bit set (arithmetic NaN).
  (func (export "f32.min-quiet") (param i32 i32) (result i32)
    (i32.and (i32.reinterpret_f32 (f32.min (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))) (i32.const 0x7fc00000)))
  (func (export "f64.max-quiet") (param i64 i64) (result i64)
    (i64.and (i64.reinterpret_f64 (f64.max (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))) (i64.const 0x7ff8000000000000)))
)`;

const CONVERSIONS = ["i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
  "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
  "i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u", "i32.trunc_sat_f64_s", "i32.trunc_sat_f64_u",
  "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u", "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u",
  "f32.demote_f64", "f64.promote_f32"];
const FROM_INT = ["f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u",
  "f64.convert_i32_s", "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u"];

/** Integers whose conversion rounds: near 2^24, 2^53, 2^63, 2^64, and halfway cases. */
const I64_INPUTS: bigint[] = [0n, 1n, -1n, 16777217n, 16777219n, 9007199254740993n, 9007199254740995n,
  0x7fffffffffffffffn, -0x8000000000000000n, 0x8000000000000401n, 0x8000000000000400n, 0xfffffffffffffbffn,
  0xfffffffffffffc00n, 0xfffffffffffffe00n, 0x7fffff4000000001n, 0xffffff7fffffffffn, 0x4000004000000001n];
const I32_INPUTS = [0, 1, -1, 16777217, 16777219, 0x7fffffff, -0x80000000, 0x7fffffc0, -0x7fffffc1, 123456789];

function conversionModule(): string {
  let text = "(module\n";
  for (const op of CONVERSIONS) {
    const [to, rest] = op.split(".");
    const from = rest.endsWith("f32") || rest.endsWith("f32_s") || rest.endsWith("f32_u") ? "f32" : "f64";
    const source = op === "f64.promote_f32" ? "f32" : op === "f32.demote_f64" ? "f64" : from;
    text += `(func (export "${op}") (param ${source}) (result ${to}) (${op} (local.get 0)))
      (func (export "${op}/reg") (param ${source}) (result ${to}) (${op} (${source}.add (local.get 0) (${source}.const -0))))\n`;
  }
  for (const op of FROM_INT) {
    const [to, rest] = op.split(".");
    const source = rest.includes("i64") ? "i64" : "i32";
    text += `(func (export "${op}") (param ${source}) (result ${to}) (${op} (local.get 0)))
      (func (export "${op}/reg") (param ${source}) (result ${to}) (${op} (${source}.xor (local.get 0) (${source}.const 0))))\n`;
  }
  return text + ")";
}

function conversionCalls(): Call[] {
  const calls: Call[] = [];
  for (const op of CONVERSIONS) {
    const source = op === "f64.promote_f32" ? "f32" : op === "f32.demote_f64" ? "f64" : op.includes("f32") ? "f32" : "f64";
    for (const variant of ["", "/reg"]) for (const x of FLOATS) calls.push({ name: op + variant, args: [value(source, x)] });
  }
  for (const op of FROM_INT) {
    const inputs: Value[] = op.includes("i64") ? I64_INPUTS.map((v) => i64(v)) : I32_INPUTS.map((v) => i32(v));
    for (const variant of ["", "/reg"]) for (const x of inputs) calls.push({ name: op + variant, args: [x] });
  }
  return calls;
}

export function register(test: TestFunction): void {
  for (const t of ["f32", "f64"]) {
    test(`${t} arithmetic, min/max and copysign agree with V8`, (tt) => {
      const wasm = wat(`(module ${BINARY.map((op) => binaryFunctions(t, op)).join("")})`);
      const calls = BINARY.flatMap((op) => binaryCalls(t, op));
      tt.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
    test(`${t} comparisons, alone and fused, agree with V8`, (tt) => {
      const wasm = wat(`(module ${COMPARE.map((op) => binaryFunctions(t, op)).join("")})`);
      const calls = COMPARE.flatMap((op) => binaryCalls(t, op));
      tt.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
    test(`${t} unary operations and rounding agree with V8`, (tt) => {
      const wasm = wat(`(module ${UNARY.map((op) => `(func (export "${op}") (param ${t}) (result ${t}) (${t}.${op} (local.get 0)))
        (func (export "${op}/reg") (param ${t}) (result ${t}) (${t}.${op} (${t}.mul (local.get 0) (${t}.const 1))))`).join("\n")})`);
      const calls = UNARY.flatMap((op) => ["", "/reg"].flatMap((variant) => FLOATS.map((x) => ({ name: op + variant, args: [value(t, x)] }))));
      tt.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
  }
  test("abs, neg and copysign keep NaN payloads; min/max NaNs are quiet", (t) => {
    const wasm = wat(BITS_MODULE);
    const calls: Call[] = [];
    for (const a of F32_BITS) {
      calls.push({ name: "f32.abs", args: [i32(a)] }, { name: "f32.neg", args: [i32(a)] });
      for (const b of F32_BITS) calls.push({ name: "f32.copysign", args: [i32(a), i32(b)] }, { name: "f32.min-quiet", args: [i32(a), i32(b)] });
    }
    for (const a of F64_BITS) {
      calls.push({ name: "f64.abs", args: [i64(a)] }, { name: "f64.neg", args: [i64(a)] });
      for (const b of F64_BITS) calls.push({ name: "f64.copysign", args: [i64(a), i64(b)] }, { name: "f64.max-quiet", args: [i64(a), i64(b)] });
    }
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
  test("conversions agree with V8: truncation bounds, traps, saturation, rounding", (t) => {
    const wasm = wat(conversionModule());
    const calls = conversionCalls();
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
  test("trapping truncation reports NaN as an invalid conversion and out of range as overflow", (t) => {
    const wasm = wat(`(module
      (func (export "i32") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
      (func (export "u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0))))`);
    const calls: Call[] = [
      { name: "i32", args: [f64(NaN)] }, { name: "i32", args: [f64(2147483648)] }, { name: "i32", args: [f64(-2147483648.9)] },
      { name: "u64", args: [f32(NaN)] }, { name: "u64", args: [f32(-1)] }, { name: "u64", args: [f32(-0.5)] },
      { name: "u64", args: [f32(18446744073709551616)] }, { name: "u64", args: [fromBits("f32", 0x5f7fffffn)] },
    ];
    const expected: Outcome[] = [
      { trap: "invalid conversion to integer" }, { trap: "integer overflow" }, { values: [i32(-2147483648)] },
      { trap: "invalid conversion to integer" }, { trap: "integer overflow" }, { values: [i64(0)] },
      { trap: "integer overflow" }, { values: [i64(0xffffff0000000000n)] },
    ];
    t.eq(expectOutcomes(wasm, calls, expected), [], "exact trap kinds");
  }, { timeout: TIMEOUT });
}
