// The generator's integer instructions, run natively and compared with V8
// over a grid of edge values. Each operation is compiled with its operands
// in every place the value stack can hold them — latent locals, registers,
// canonical slots (after a block), constants on either side (immediates) —
// and as a comparison fused into br_if, if and select.

import type { TestFunction } from "../harness";
import { Call, Value, differential, i32, i64, wat } from "./codegen";

const TIMEOUT = 300_000;

const I32_VALUES = [0, 1, -1, 2, 7, 31, 32, 33, 0x7fffffff, -0x80000000, 0x12345678, -5, 0x80, 0xffff];
const I64_VALUES: bigint[] = [0n, 1n, -1n, 2n, 63n, 64n, 65n, 0x7fffffffffffffffn, -0x8000000000000000n,
  0x123456789abcdef0n, -5n, 0xffffffffn, 0x100000000n, 0x80000000n];

const BINARY = ["add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"];
const COMPARE = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const UNARY_32 = ["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"];
const UNARY_64 = ["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s", "extend32_s"];

/** Constants folded as immediates: small, imm32 edge, and (i64) ones that do not fit an imm32. */
const CONSTANTS_32 = ["0", "1", "-1", "7", "0x7fffffff", "-0x80000000", "33"];
const CONSTANTS_64 = ["0", "1", "-1", "63", "0x7fffffff", "-0x80000000", "0x80000000", "0x123456789", "-0x8000000000000000"];

function binaryFunctions(type: "i32" | "i64", op: string, constants: string[]): string {
  const t = type;
  const name = `${t}.${op}`;
  const result = COMPARE.includes(op) ? "i32" : t;
  let text = "";
  // Latent locals on both sides.
  text += `(func (export "${name}") (param ${t} ${t}) (result ${result}) (${name} (local.get 0) (local.get 1)))\n`;
  // Both in registers.
  text += `(func (export "${name}/reg") (param ${t} ${t}) (result ${result})
    (${name} (${t}.xor (local.get 0) (${t}.const 0)) (${t}.xor (local.get 1) (${t}.const 0))))\n`;
  // Both in canonical slots (a block's result is spilled at its end when branched to).
  text += `(func (export "${name}/slot") (param ${t} ${t}) (result ${result})
    (${name} (block (result ${t}) (br 0 (local.get 0))) (block (result ${t}) (br 0 (local.get 1)))))\n`;
  // Fused into br_if / if / select when a comparison.
  if (COMPARE.includes(op)) {
    text += `(func (export "${name}/br_if") (param ${t} ${t}) (result i32)
      (block (result i32) (br_if 0 (i32.const 11) (${name} (local.get 0) (local.get 1))) (drop) (i32.const 22)))\n`;
    text += `(func (export "${name}/if") (param ${t} ${t}) (result i32)
      (if (result i32) (${name} (local.get 0) (local.get 1)) (then (i32.const 11)) (else (i32.const 22))))\n`;
    text += `(func (export "${name}/select") (param ${t} ${t}) (result i64)
      (select (i64.const 11) (i64.const 22) (${name} (local.get 0) (local.get 1))))\n`;
  }
  constants.forEach((c, k) => {
    text += `(func (export "${name}/right${k}") (param ${t}) (result ${result}) (${name} (local.get 0) (${t}.const ${c})))\n`;
    text += `(func (export "${name}/left${k}") (param ${t}) (result ${result}) (${name} (${t}.const ${c}) (local.get 0)))\n`;
    text += `(func (export "${name}/reg-right${k}") (param ${t}) (result ${result}) (${name} (${t}.xor (local.get 0) (${t}.const 0)) (${t}.const ${c})))\n`;
  });
  return text;
}

function unaryFunctions(type: "i32" | "i64", op: string): string {
  const name = `${type}.${op}`;
  const result = op === "eqz" ? "i32" : type;
  return `(func (export "${name}") (param ${type}) (result ${result}) (${name} (local.get 0)))
    (func (export "${name}/reg") (param ${type}) (result ${result}) (${name} (${type}.add (local.get 0) (${type}.const 0))))\n`;
}

function callsFor(type: "i32" | "i64", op: string, constants: string[]): Call[] {
  const values: Value[] = type === "i32" ? I32_VALUES.map((v) => i32(v)) : I64_VALUES.map((v) => i64(v));
  const calls: Call[] = [];
  const name = `${type}.${op}`;
  const variants = ["", "/reg", "/slot", ...(COMPARE.includes(op) ? ["/br_if", "/if", "/select"] : [])];
  for (const variant of variants) {
    for (const a of values) for (const b of values) calls.push({ name: name + variant, args: [a, b] });
  }
  constants.forEach((_c, k) => {
    for (const a of values) {
      calls.push({ name: `${name}/right${k}`, args: [a] });
      calls.push({ name: `${name}/left${k}`, args: [a] });
      calls.push({ name: `${name}/reg-right${k}`, args: [a] });
    }
  });
  return calls;
}

function moduleFor(type: "i32" | "i64", ops: string[], constants: string[]): string {
  return `(module\n${ops.map((op) => binaryFunctions(type, op, constants)).join("")})`;
}

/** A deep expression: more live values than registers, so the allocator spills and reloads. */
const PRESSURE = `(module
  (func (export "pressure") (param i64 i32) (result i64)
    ${Array.from({ length: 24 }, (_, k) => `(i64.add (i64.mul (local.get 0) (i64.const ${k + 3}))`).join(" ")}
    (i64.extend_i32_u (local.get 1))
    ${")".repeat(24)})
  (func (export "pressure32") (param i32 i32) (result i32)
    ${Array.from({ length: 20 }, (_, k) => `(i32.sub (i32.rotl (local.get ${k % 2}) (i32.const ${k}))`).join(" ")}
    (i32.div_u (local.get 0) (i32.or (local.get 1) (i32.const 1)))
    ${")".repeat(20)})
  (func (export "shifts") (param i32 i64) (result i64)
    ;; variable counts in rcx while other values occupy registers
    (i64.add (i64.shl (local.get 1) (i64.extend_i32_u (local.get 0)))
      (i64.add (i64.rotr (local.get 1) (i64.extend_i32_s (i32.add (local.get 0) (i32.const 3))))
        (i64.extend_i32_u (i32.shr_s (i32.wrap_i64 (local.get 1)) (local.get 0))))))
  (func (export "divisions") (param i32 i32) (result i32)
    ;; dividend and divisor in rax/rdx before the division
    (i32.add (i32.rem_u (local.get 0) (i32.or (local.get 1) (i32.const 1)))
      (i32.div_s (i32.div_u (local.get 0) (i32.const 3)) (i32.or (local.get 1) (i32.const 5)))))
  (func (export "tee") (param i32) (result i32) (local i32)
    ;; local.set of a local that still has latent references on the stack
    (i32.add (i32.add (local.get 1) (local.tee 1 (i32.add (local.get 0) (i32.const 10)))) (local.get 1)))
  (func (export "swap") (param i32 i32) (result i32)
    (local.get 0) (local.get 1) (local.set 0) (local.set 1) (i32.sub (local.get 0) (local.get 1)))
)`;

/**
 * Constant divisors, compiled without a divide (division.ts): powers of two
 * of both signs, magic multipliers with and without the add step, and
 * divisors with the top bit set (unsigned quotient 0 or 1).
 */
const DIVISORS_32 = ["1", "-1", "2", "-2", "3", "-3", "5", "6", "7", "-7", "10", "13", "14", "25", "60", "100", "641", "1000",
  "0x40", "-0x40", "0x10000", "0x3fffffff", "0x55555555", "0x7ffffff1", "0x7fffffff", "-0x7fffffff", "-0x80000000",
  "0x40000000", "0x80000001", "0xfffffff0", "0xfffffffe"];
const DIVISORS_64 = ["1", "-1", "2", "-2", "3", "-3", "7", "-7", "10", "641", "1000000007", "0x40", "-0x40", "0x80000000",
  "0x100000000", "0x123456789", "10000000000", "0x4000000000000000", "0x5555555555555555", "0x1000000000000001",
  "0x7fffffffffffffff", "-0x7fffffffffffffff", "-0x8000000000000000", "0x8000000000000001", "-3"];

/** Dividends: the edge values and a deterministic spread of others. */
function dividends(type: "i32" | "i64"): Value[] {
  let seed = 0x2545f491n;
  const spread: bigint[] = [];
  for (let k = 0; k < 24; k++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    spread.push(seed >> BigInt(k % 3 === 0 ? 40 : k % 3 === 1 ? 20 : 0));
  }
  const edges = type === "i32" ? I32_VALUES.map((v) => BigInt(v)) : I64_VALUES;
  return [...edges, ...spread, 3n, 6n, 999n, -1000n, 0x7ffffff0n, 0xfffffff0n].map((v) => type === "i32" ? i32(Number(BigInt.asIntN(32, v))) : i64(BigInt.asIntN(64, v)));
}

function constantDivisionModule(type: "i32" | "i64", divisors: string[]): string {
  let text = "";
  for (const op of ["div_s", "div_u", "rem_s", "rem_u"]) {
    divisors.forEach((d, k) => {
      text += `(func (export "${op}/${k}") (param ${type}) (result ${type}) (${type}.${op} (local.get 0) (${type}.const ${d})))\n`;
      // The dividend in a register, with a value held in rax and rdx across the division.
      text += `(func (export "${op}/${k}/held") (param ${type}) (result ${type})
        (${type}.add (${type}.add (${type}.xor (local.get 0) (${type}.const 1)) (${type}.xor (local.get 0) (${type}.const 2)))
          (${type}.${op} (${type}.xor (local.get 0) (${type}.const 0)) (${type}.const ${d}))))\n`;
    });
  }
  return `(module ${text})`;
}

/** The constant-division module of `type` and its calls: every operation by every divisor, on every dividend, alone and held. */
export function constantDivisionCase(type: "i32" | "i64"): { wasm: Uint8Array; calls: Call[]; divisors: string[] } {
  const divisors = type === "i32" ? DIVISORS_32 : DIVISORS_64;
  const calls: Call[] = [];
  for (const op of ["div_s", "div_u", "rem_s", "rem_u"]) {
    divisors.forEach((_d, k) => {
      for (const x of dividends(type)) {
        calls.push({ name: `${op}/${k}`, args: [x] });
        calls.push({ name: `${op}/${k}/held`, args: [x] });
      }
    });
  }
  return { wasm: wat(constantDivisionModule(type, divisors)), calls, divisors };
}

/** Conditions fused into br_if/if/select: i32.and as `test`, and an i32.eqz in between inverting them. */
const FUSED = `(module
  (func (export "and-br_if") (param i32 i32) (result i32)
    (block (result i32) (br_if 0 (i32.const 1) (i32.and (local.get 0) (local.get 1))) (drop) (i32.const 2)))
  (func (export "and-imm-if") (param i32 i32) (result i32)
    (if (result i32) (i32.and (local.get 0) (i32.const 0x80000001)) (then (i32.const 1)) (else (i32.const 2))))
  (func (export "and-eqz-if") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (i32.and (local.get 0) (local.get 1))) (then (i32.const 1)) (else (i32.const 2))))
  (func (export "and-slot-select") (param i32 i32) (result i32)
    (select (i32.const 1) (i32.const 2)
      (i32.and (block (result i32) (br 0 (local.get 0))) (block (result i32) (br 0 (local.get 1))))))
  (func (export "and-const-left") (param i32 i32) (result i32)
    (if (result i32) (i32.and (i32.const 6) (local.get 1)) (then (i32.const 1)) (else (i32.const 2))))
  (func (export "eqz-lt_s-br_if") (param i32 i32) (result i32)
    (block (result i32) (br_if 0 (i32.const 1) (i32.eqz (i32.lt_s (local.get 0) (local.get 1)))) (drop) (i32.const 2)))
  (func (export "eqz-ge_u-select") (param i32 i32) (result i32)
    (select (i32.const 1) (i32.const 2) (i32.eqz (i32.ge_u (local.get 0) (local.get 1)))))
  (func (export "eqz-eqz-if") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (i32.eqz (local.get 0))) (then (i32.const 1)) (else (i32.const 2))))
)`;

export function register(test: TestFunction): void {
  test("i32.and and i32.eqz fused into the condition of br_if/if/select agree with V8", (t) => {
    const wasm = wat(FUSED);
    const names = ["and-br_if", "and-imm-if", "and-eqz-if", "and-slot-select", "and-const-left", "eqz-lt_s-br_if", "eqz-ge_u-select", "eqz-eqz-if"];
    const calls: Call[] = [];
    for (const name of names) for (const a of I32_VALUES) for (const b of I32_VALUES) calls.push({ name, args: [i32(a), i32(b)] });
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
  for (const type of ["i32", "i64"] as const) {
    const constants = type === "i32" ? CONSTANTS_32 : CONSTANTS_64;
    test(`${type} binary operations agree with V8`, (t) => {
      const ops = BINARY.filter((op) => !op.includes("div") && !op.includes("rem"));
      const wasm = wat(moduleFor(type, ops, constants));
      const calls = ops.flatMap((op) => callsFor(type, op, constants));
      t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
    test(`${type} division and remainder agree with V8, traps included`, (t) => {
      const ops = BINARY.filter((op) => op.includes("div") || op.includes("rem"));
      const wasm = wat(moduleFor(type, ops, constants));
      const calls = ops.flatMap((op) => callsFor(type, op, constants));
      t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
    test(`${type} comparisons, alone and fused into br_if/if/select, agree with V8`, (t) => {
      const wasm = wat(moduleFor(type, COMPARE, constants));
      const calls = COMPARE.flatMap((op) => callsFor(type, op, constants));
      t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
    test(`${type} unary operations agree with V8`, (t) => {
      const ops = type === "i32" ? UNARY_32 : UNARY_64;
      const wasm = wat(`(module ${ops.map((op) => unaryFunctions(type, op)).join("")})`);
      const values: Value[] = type === "i32" ? I32_VALUES.map((v) => i32(v)) : I64_VALUES.map((v) => i64(v));
      const calls = ops.flatMap((op) => ["", "/reg"].flatMap((variant) => values.map((v) => ({ name: `${type}.${op}${variant}`, args: [v] }))));
      t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
  }
  for (const type of ["i32", "i64"] as const) {
    test(`${type} division and remainder by constants (shifts, magic multipliers) agree with V8, INT_MIN / -1 trapping`, (t) => {
      const { wasm, calls } = constantDivisionCase(type);
      t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
    }, { timeout: TIMEOUT });
  }
  test("register pressure, fixed registers and latent locals agree with V8", (t) => {
    const wasm = wat(PRESSURE);
    const calls: Call[] = [];
    for (const a of I32_VALUES) {
      for (const b of I64_VALUES.slice(0, 8)) {
        calls.push({ name: "pressure", args: [i64(b), i32(a)] });
        calls.push({ name: "shifts", args: [i32(a), i64(b)] });
      }
      for (const b of I32_VALUES) {
        calls.push({ name: "pressure32", args: [i32(a), i32(b)] });
        calls.push({ name: "divisions", args: [i32(a), i32(b)] });
        calls.push({ name: "swap", args: [i32(a), i32(b)] });
      }
      calls.push({ name: "tee", args: [i32(a)] });
    }
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
}
