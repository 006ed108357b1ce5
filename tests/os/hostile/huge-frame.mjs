// Gives hostile-overflow.wasm what AssemblyScript cannot write: VARIANTS
// functions whose frames are larger than a thread's 256 KiB stack —
// FIRST_LOCALS i64 locals and 2 more for each next variant, so that their
// frames differ by 16 bytes — and a `_start` that calls variant
// (priority - 2), its first thread's priority being what the runner
// granted. Each body uses one local and returns value + 1. The module goes
// through binaryen's text form and back, as the trapper's table-trap.mjs
// does; everything else stays as asc wrote it.
//
// Why variants: a trap path that wrote below the limit would write at an
// address 8 mod 16 a frame's size below the stack's top; eight frame sizes
// 16 bytes apart cover 128 bytes of whatever lies there, more than one
// frame of the victim's recursion, so one of them would meet a return
// address.

import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";

const MODULE = "$tests/os/hostile/hostile-overflow/";
const START = MODULE + "_start";
const PLACEHOLDER = MODULE + "hugeFrame";
const VARIANTS = 8;
const FIRST_LOCALS = 36000;

export function patchHugeFrame(path) {
  const original = binaryen.readBinary(readFileSync(path));
  // What asc emits by default (bulk memory, sign extension, mutable globals, non-trapping float-to-int).
  const { Features } = binaryen;
  const features = Features.MutableGlobals | Features.SignExt | Features.BulkMemory | Features.BulkMemoryOpt |
    Features.NontrappingFPToInt | Features.Multivalue;
  original.setFeatures(features);
  let text = original.emitText();
  original.dispose();
  const priority = /\(import "delos" "thread_priority" \(func (\$\S+)/.exec(text);
  if (!priority) throw new Error(`${path}: no import of delos.thread_priority`);
  let functions = "";
  for (let v = 0; v < VARIANTS; v++) {
    functions += ` (func ${MODULE}hugeFrame${v} (param $0 i32) (result i32)\n  (local` + " i64".repeat(FIRST_LOCALS + 2 * v) + ")\n" +
      "  (local.set 1 (i64.extend_i32_s (local.get $0)))\n  (i32.add (i32.wrap_i64 (local.get 1)) (i32.const 1))\n )\n";
  }
  let dispatch = "  (local $variant i32)\n  (local.set $variant (i32.sub (call " + priority[1] + ") (i32.const 2)))\n";
  let blocks = "";
  for (let v = VARIANTS - 1; v >= 0; v--) blocks += `(block $v${v} `;
  dispatch += `  ${blocks}(br_table ${Array.from({ length: VARIANTS }, (_, v) => `$v${v}`).join(" ")} (local.get $variant))`;
  for (let v = 0; v < VARIANTS; v++) dispatch += `)\n  (drop (call ${MODULE}hugeFrame${v} (local.get $variant)))\n  (return)`;
  text = replaceBody(path, text, START, dispatch);
  const end = text.lastIndexOf("\n)");
  text = text.slice(0, end) + "\n" + functions + text.slice(end);
  if (!text.includes(PLACEHOLDER)) throw new Error(`${path}: no function ${PLACEHOLDER}`);
  const patched = binaryen.parseText(text);
  try {
    patched.setFeatures(features);
    if (!patched.validate()) throw new Error(`${path}: the patched module does not validate`);
    binaryen.setDebugInfo(true);
    writeFileSync(path, patched.emitBinary());
  } finally {
    patched.dispose();
  }
}

/** `text` with the body of function `name` (after its header line) replaced by `body`. */
function replaceBody(path, text, name, body) {
  let start = text.indexOf(` (func ${name} `);
  if (start < 0) start = text.indexOf(` (func ${name}\n`);
  const end = text.indexOf("\n )\n", start);
  if (start < 0 || end < 0) throw new Error(`${path}: no function ${name}`);
  const header = text.slice(start, text.indexOf("\n", start));
  return text.slice(0, start) + header + "\n" + body + text.slice(end);
}
