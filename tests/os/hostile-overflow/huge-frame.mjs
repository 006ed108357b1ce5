// Gives hostile-overflow.wasm what AssemblyScript cannot write: VARIANTS
// functions whose frames are larger than a thread's 256 KiB stack —
// FIRST_LOCALS i64 locals and 2 more for each next variant, so that their
// frames differ by 16 bytes — and a `_start` that calls variant
// (priority - 2), its first thread's priority being what the runner
// granted. Each body uses one local and returns value + 1. The module goes
// through binaryen's text form and back, as the trapper's table-trap.mjs
// does (tests/os/lib/patch-text.mjs); everything else stays as asc wrote it.
//
// Why variants: a trap path that wrote below the limit would write at an
// address 8 mod 16 a frame's size below the stack's top; eight frame sizes
// 16 bytes apart cover 128 bytes of whatever lies there, more than one
// frame of the victim's recursion, so one of them would meet a return
// address.

import { ASC_FEATURES, patchText, replaceBody } from "../lib/patch-text.mjs";

const MODULE = "$tests/os/hostile-overflow/hostile-overflow/";
const START = MODULE + "_start";
const PLACEHOLDER = MODULE + "hugeFrame";
const VARIANTS = 8;
const FIRST_LOCALS = 36000;

export function patchHugeFrame(path) {
  patchText(path, ASC_FEATURES, (original) => {
    const priority = /\(import "delos" "thread_priority" \(func (\$\S+)/.exec(original);
    if (!priority) throw new Error(`${path}: no import of delos.thread_priority`);
    if (!original.includes(PLACEHOLDER)) throw new Error(`${path}: no function ${PLACEHOLDER}`);
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
    const text = replaceBody(path, original, START, dispatch);
    const end = text.lastIndexOf("\n)");
    return text.slice(0, end) + "\n" + functions + text.slice(end);
  });
}
