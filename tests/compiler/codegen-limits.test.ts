// The generator at sizes far beyond everyday code, compared with V8: deeply
// nested blocks, a huge br_table, hundreds of parameters and results, tens
// of thousands of locals, a value stack thousands deep, and a large frame
// under recursion. Each must compile (no fixed-size table overflows) and
// run correctly.

import type { TestFunction } from "../harness";
import { Call, differential, i32, wat } from "./codegen";

const TIMEOUT = 300_000;

function nestedBlocks(depth: number): string {
  // block^depth with a br_if that leaves from the innermost to a level chosen by the argument.
  let text = `(func (export "nested") (param i32) (result i32) (local i32)\n`;
  for (let k = 0; k < depth; k++) text += `(block\n`;
  text += `(br_table ${Array.from({ length: 64 }, (_, k) => k * (depth >> 6)).join(" ")} 0 (local.get 0))\n`;
  for (let k = 0; k < depth; k++) text += `) (local.set 1 (i32.add (local.get 1) (i32.const ${k + 1})))\n`;
  return text + `(local.get 1))\n`;
}

function hugeTable(size: number): string {
  const targets = Array.from({ length: size }, (_, k) => k % 4).join(" ");
  return `(func (export "table") (param i32) (result i32)
    (block (block (block (block
      (br_table ${targets} 3 (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 40))\n`;
}

function manyParams(count: number): string {
  const types = Array.from({ length: count }, (_, k) => (k % 2 ? "i64" : "i32"));
  const widen = (k: number, index: number) => (k % 2 ? `(local.get ${index})` : `(i64.extend_i32_u (local.get ${index}))`);
  // $wide sums its parameters; $echo returns them all; the caller passes values made from its argument.
  let sum = "(i64.const 0)";
  for (let k = 0; k < count; k++) sum = `(i64.add ${sum} ${widen(k, k)})`;
  const args = types.map((type, k) => (type === "i64"
    ? `(i64.mul (i64.extend_i32_u (local.get 0)) (i64.const ${k}))`
    : `(i32.add (local.get 0) (i32.const ${k}))`)).join(" ");
  // The echoed results land in locals 1..count (set in reverse, the last result first).
  const sets = Array.from({ length: count }, (_, k) => `(local.set ${count - k})`).join(" ");
  let total = "(i64.const 0)";
  for (let k = 0; k < count; k++) total = `(i64.add ${total} ${widen(k, k + 1)})`;
  return `(func $wide (param ${types.join(" ")}) (result i64) ${sum})
    (func $echo (param ${types.join(" ")}) (result ${types.join(" ")}) ${types.map((_, k) => `(local.get ${k})`).join(" ")})
    (func (export "wide") (param i32) (result i64) (call $wide ${args}))
    (func (export "echo") (param i32) (result i64) (local ${types.join(" ")})
      (call $echo ${args}) ${sets} ${total})\n`;
}

function manyLocals(count: number): string {
  return `(func (export "locals") (param i32) (result i64) (local ${"i64 ".repeat(count)})
    (local.set ${count} (i64.extend_i32_u (local.get 0)))
    (local.set ${count >> 1} (i64.const 7))
    (i64.add (i64.add (local.get ${count}) (local.get ${count >> 1})) (i64.add (local.get 1) (local.get ${count - 1}))))\n`;
}

function deepStack(depth: number): string {
  let text = `(func (export "deep-stack") (param i32) (result i32)\n`;
  for (let k = 0; k < depth; k++) text += `(i32.add (local.get 0) (i32.const ${k}))\n`;
  for (let k = 0; k < depth - 1; k++) text += `(i32.xor)\n`;
  return text + ")\n";
}

export function register(test: TestFunction): void {
  test("deep nesting, huge br_table, wide calls, many locals and a deep stack agree with V8", (t) => {
    const wasm = wat(`(module ${nestedBlocks(2048)} ${hugeTable(20000)} ${manyParams(300)} ${manyLocals(20000)} ${deepStack(3000)}
      (func $frame (export "frame") (param i32) (result i32) (local ${"f64 ".repeat(400)})
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
          (else (i32.add (call $frame (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))`);
    const calls: Call[] = [];
    for (const a of [0, 1, 2, 5, 31, 63, 64, 1000, 19999, 20000, 12345678]) {
      calls.push({ name: "nested", args: [i32(a)] }, { name: "table", args: [i32(a)] }, { name: "wide", args: [i32(a)] },
        { name: "echo", args: [i32(a)] }, { name: "locals", args: [i32(a)] }, { name: "deep-stack", args: [i32(a)] });
    }
    calls.push({ name: "frame", args: [i32(100)] }, { name: "frame", args: [i32(100000)] });
    t.eq(differential(wasm, calls).slice(0, 10), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
}
