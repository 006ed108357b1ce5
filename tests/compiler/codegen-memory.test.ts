// The generator's memory instructions in both bounds modes, compared with
// V8: every load and store width at offsets up to 2^32-1 and addresses at
// the edge of memory, constant addresses and values (immediates), memory.size
// and memory.grow, and the bulk operations (copy with overlap in both
// directions, fill, init, data.drop) including their traps, which must
// leave memory untouched. Tables: call_indirect's three checks, table.init,
// table.copy and elem.drop.

import type { TestFunction } from "../harness";
import { Call, Value, differential, i32, i64, f32, f64, wat } from "./codegen";

const TIMEOUT = 300_000;

const LOADS: Array<[string, string]> = [
  ["i32.load", "i32"], ["i64.load", "i64"], ["f32.load", "f32"], ["f64.load", "f64"],
  ["i32.load8_s", "i32"], ["i32.load8_u", "i32"], ["i32.load16_s", "i32"], ["i32.load16_u", "i32"],
  ["i64.load8_s", "i64"], ["i64.load8_u", "i64"], ["i64.load16_s", "i64"], ["i64.load16_u", "i64"],
  ["i64.load32_s", "i64"], ["i64.load32_u", "i64"],
];
const STORES: Array<[string, string]> = [
  ["i32.store", "i32"], ["i64.store", "i64"], ["f32.store", "f32"], ["f64.store", "f64"],
  ["i32.store8", "i32"], ["i32.store16", "i32"], ["i64.store8", "i64"], ["i64.store16", "i64"], ["i64.store32", "i64"],
];
const OFFSETS = [0, 3, 65532, 0x7fffffff, 0x80000000, 0xfffffff0];
const ADDRESSES = [0, 1, 7, 65528, 65532, 65533, 65535, 65536, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];
const CONSTANT_ADDRESSES = [0, 65532, 65535, 65536, 0x7fffffff, 0xffffffff];

/** Fills the first page with a byte pattern so that loads see varied bits. */
const FILL = `(func (export "pattern") (local i32)
  (loop $next
    (i32.store8 (local.get 0) (i32.add (i32.mul (local.get 0) (i32.const 37)) (i32.const 11)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (br_if $next (i32.lt_u (local.get 0) (i32.const 65536)))))`;

function accessModule(): string {
  let text = `(module (memory 1 4)\n${FILL}\n`;
  for (const [op, type] of LOADS) {
    OFFSETS.forEach((offset, k) => {
      text += `(func (export "${op}/${k}") (param i32) (result ${type}) (${op} offset=${offset} (local.get 0)))\n`;
    });
    text += `(func (export "${op}/reg") (param i32) (result ${type}) (${op} offset=1 (i32.add (local.get 0) (i32.const 1))))\n`;
    CONSTANT_ADDRESSES.forEach((address, k) => {
      text += `(func (export "${op}/const${k}") (result ${type}) (${op} offset=2 (i32.const ${address})))\n`;
    });
  }
  for (const [op, type] of STORES) {
    const back = type === "f32" ? "f32.load" : type === "f64" ? "f64.load" : `${type}.load`;
    OFFSETS.forEach((offset, k) => {
      text += `(func (export "${op}/${k}") (param i32 ${type}) (result ${type})
        (${op} offset=${offset} (local.get 0) (local.get 1)) (${back} offset=${offset} (local.get 0)))\n`;
    });
    const constant = type === "i64" ? "0x123456789abcdef" : type === "i32" ? "-7" : "-1.5";
    text += `(func (export "${op}/imm") (param i32) (result ${type})
      (${op} offset=5 (local.get 0) (${type}.const ${constant})) (${back} offset=5 (local.get 0)))\n`;
    CONSTANT_ADDRESSES.forEach((address, k) => {
      text += `(func (export "${op}/const${k}") (param ${type}) (result ${type})
        (${op} offset=1 (i32.const ${address}) (local.get 0)) (${back} offset=1 (i32.const ${address})))\n`;
    });
  }
  return text + ")";
}

function storeValue(type: string, k: number): Value {
  const values: Record<string, Value[]> = {
    i32: [i32(-1), i32(0x12345678), i32(0x80)],
    i64: [i64(-2n), i64(0x0123456789abcdefn), i64(0x80000000n)],
    f32: [f32(-0), f32(3.25), f32(NaN)],
    f64: [f64(1e300), f64(-0.125), f64(Infinity)],
  };
  return values[type][k % 3];
}

function accessCalls(): Call[] {
  const calls: Call[] = [{ name: "pattern", args: [] }];
  for (const [op] of LOADS) {
    OFFSETS.forEach((_o, k) => { for (const a of ADDRESSES) calls.push({ name: `${op}/${k}`, args: [i32(a)] }); });
    for (const a of ADDRESSES) calls.push({ name: `${op}/reg`, args: [i32(a)] });
    CONSTANT_ADDRESSES.forEach((_a, k) => calls.push({ name: `${op}/const${k}`, args: [] }));
  }
  for (const [op, type] of STORES) {
    OFFSETS.forEach((_o, k) => { ADDRESSES.forEach((a, n) => calls.push({ name: `${op}/${k}`, args: [i32(a), storeValue(type, n)] })); });
    for (const a of ADDRESSES) calls.push({ name: `${op}/imm`, args: [i32(a)] });
    CONSTANT_ADDRESSES.forEach((_a, k) => calls.push({ name: `${op}/const${k}`, args: [storeValue(type, k)] }));
  }
  return calls;
}

/** Lengths of memory.fill with constant value and length, compiled as plain stores (8-byte ones and a 4/2/1-byte tail). */
const SMALL_FILL_LENGTHS = [1, 3, 8, 15, 64];

const BULK = `(module
  (memory 1 3)
  (data $passive "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c")
  (data (i32.const 200) "active")
  ${FILL}
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  ${SMALL_FILL_LENGTHS.map((length) =>
    `(func (export "fill-${length}") (param i32) (memory.fill (local.get 0) (i32.const 0x1a5) (i32.const ${length})))`).join("\n  ")}
  (func (export "init") (param i32 i32 i32) (memory.init $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init-active") (param i32 i32 i32) (memory.init 1 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $passive))
  ;; A checksum of n bytes from a: sum of byte * (index + 1).
  (func (export "sum") (param i32 i32) (result i64) (local i64)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get 1)))
      (local.set 2 (i64.add (local.get 2)
        (i64.mul (i64.load8_u (local.get 0)) (i64.extend_i32_u (local.get 1)))))
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
      (br $next)))
    (local.get 2))
)`;

function bulkCalls(): Call[] {
  const c = (name: string, ...args: number[]): Call => ({ name, args: args.map((a) => i32(a)) });
  return [
    c("pattern"), c("sum", 0, 300),
    // Overlapping copies, both directions, and exact edges.
    c("copy", 10, 0, 100), c("sum", 0, 300), c("copy", 0, 20, 100), c("sum", 0, 300),
    c("copy", 65436, 0, 100), c("sum", 65400, 136), c("copy", 65437, 0, 100), c("sum", 65400, 136),
    c("copy", 0, 65437, 100), c("copy", 0xffffffff, 0, 2), c("copy", 0, 0xffffffff, 2), c("copy", 65536, 0, 0), c("copy", 65537, 0, 0),
    c("copy", 5, 5, 50), c("sum", 0, 300),
    // Forward copies at the edges of the 16-byte loop and of the `rep` path, overlapping and not.
    c("pattern"), c("copy", 0, 1, 15), c("copy", 40, 57, 16), c("copy", 100, 103, 17), c("sum", 0, 300),
    c("pattern"), c("copy", 0, 9, 255), c("sum", 0, 300), c("copy", 1, 3, 256), c("sum", 0, 300),
    c("pattern"), c("copy", 300, 0, 257), c("sum", 0, 600), c("copy", 2, 18, 250), c("sum", 0, 300),
    // Fill: value truncated to a byte, edges, traps that write nothing.
    c("fill", 3, 0x1ff, 10), c("sum", 0, 20), c("fill", 65530, 7, 6), c("sum", 65520, 16), c("fill", 65530, 9, 7), c("sum", 65520, 16),
    c("fill", 65536, 1, 0), c("fill", 65537, 1, 0),
    // Constant fills: ending exactly at the end of memory, and one byte further (a trap that writes nothing).
    ...SMALL_FILL_LENGTHS.flatMap((length) => [
      c(`fill-${length}`, 65536 - length), c("sum", 65456, 80), c(`fill-${length}`, 65537 - length), c("sum", 65456, 80),
      c("fill", 65456, 0, 80),
    ]),
    // Init from the passive segment, bounds on both sides, then after data.drop.
    c("init", 50, 2, 5), c("sum", 45, 15), c("init", 65530, 0, 6), c("init", 65530, 0, 7), c("init", 0, 10, 3), c("init", 0, 12, 0),
    c("init", 0, 13, 0), c("sum", 65520, 16), c("drop"), c("init", 0, 0, 0), c("init", 0, 0, 1), c("drop"),
    c("init-active", 0, 0, 0), c("init-active", 0, 0, 1), c("load", 200), c("sum", 195, 15),
    // Growth: new pages are zero and accessible; growing past the maximum fails.
    c("size"), c("load", 65536), c("grow", 1), c("size"), c("load", 65536), c("load", 131071), c("load", 131072),
    c("fill", 65536, 3, 65536), c("sum", 131000, 72), c("grow", 2), c("grow", 1), c("size"), c("grow", 0), c("load", 196607),
    c("copy", 131072, 0, 65536), c("sum", 131072, 100),
  ];
}

const TABLES = `(module
  (type $i (func (result i32)))
  (type $l (func (result i64)))
  (type $ii (func (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $a $b $c)
  (elem $passive funcref (ref.func $a) (ref.null func) (ref.func $d) (ref.func $b))
  (func $a (type $i) (i32.const 10))
  (func $b (type $i) (i32.const 20))
  (func $c (type $l) (i64.const 30))
  (func $d (type $ii) (i32.add (local.get 0) (i32.const 40)))
  (func (export "call-i") (param i32) (result i32) (call_indirect (type $i) (local.get 0)))
  (func (export "call-l") (param i32) (result i64) (call_indirect (type $l) (local.get 0)))
  (func (export "call-ii") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0)))
  (func (export "init") (param i32 i32 i32) (table.init $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (table.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $passive))
)`;

function tableCalls(): Call[] {
  const c = (name: string, ...args: number[]): Call => ({ name, args: args.map((a) => i32(a)) });
  return [
    c("call-i", 0), c("call-i", 1), c("call-i", 2), c("call-l", 2), c("call-i", 3), c("call-i", 8), c("call-i", -1),
    c("init", 4, 0, 4), c("call-i", 4), c("call-i", 5), c("call-ii", 6, 5), c("call-i", 7), c("call-i", 6),
    c("init", 6, 0, 3), c("init", 5, 1, 4), c("call-i", 5), c("init", 8, 0, 0), c("init", 9, 0, 0), c("init", 0, 4, 0), c("init", 0, 5, 0),
    c("copy", 1, 0, 4), c("call-i", 1), c("call-i", 2), c("call-l", 3), c("copy", 0, 2, 6), c("call-i", 0), c("call-l", 1),
    c("copy", 7, 0, 2), c("copy", 8, 0, 0), c("copy", 9, 0, 0),
    c("drop"), c("init", 0, 0, 0), c("init", 0, 0, 1), c("drop"),
  ];
}

export function register(test: TestFunction): void {
  test("loads and stores of every width at edge addresses and offsets agree with V8", (t) => {
    const wasm = wat(accessModule());
    const calls = accessCalls();
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
  test("memory.size, memory.grow and bulk memory agree with V8, traps writing nothing", (t) => {
    const wasm = wat(BULK);
    const calls = bulkCalls();
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
  test("call_indirect checks, table.init, table.copy and elem.drop agree with V8", (t) => {
    const wasm = wat(TABLES);
    const calls = tableCalls();
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
}
