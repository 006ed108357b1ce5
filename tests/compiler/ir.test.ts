// The optimizing tier's SSA construction (sdk/compiler/src/opt/): the IR of
// small functions, read from the printer, shows the phis, blocks and edges
// the wasm implies; whole programs (the benchmark programs, fuzzer modules
// and every valid module of the spec suite) build and pass the verifier in
// every function.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { Command, runCompiler, validateWasm } from "../../sdk/host/compiler";
import { convertSpec } from "../spec/convert";
import { benchPrograms } from "../bench/programs";
import { buildProgram } from "../bench/build-programs";
import { generateModule } from "../fuzz/generate";
import { FUZZ_TEST_SEED } from "../fuzz/fuzz.test";
import { wat } from "./codegen";

/** Fuzzer modules whose IR is built and verified. */
const FUZZ_MODULES = 8;

function ir(bytes: Uint8Array, summary = false): string {
  return new TextDecoder().decode(runCompiler(Command.Ir, [bytes], summary ? 1 : 0));
}

/** The printed IR of each function, by function index. */
function functions(text: string): string[] {
  return text.split(/^(?=function \d+ )/m).filter((part) => part.length > 0);
}

function lines(text: string, pattern: RegExp): string[] {
  return text.split("\n").filter((line) => pattern.test(line));
}

export function register(test: TestFunction): void {
  test("IR: a counted loop gets phis for the locals it changes, none for the one it only reads", (t) => {
    const [sum] = functions(ir(wat(`(module (memory 1)
      (func (param $n i32) (result i32) (local $i i32) (local $s i32)
        (block $done
          (loop $top
            (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $s (i32.add (local.get $s) (i32.load offset=4 (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $top)))
        (local.get $s)))`)));
    const header = /^block(\d+) \(preds block0 block(\d+)\) loop$/m.exec(sum);
    t.ok(header !== null, `a loop header entered from the entry and a back edge:\n${sum}`);
    const loopBody = sum.slice(sum.indexOf(header?.[0] ?? "\u0000"));
    const phis = lines(loopBody.split(/^block/m)[1] ?? "", /= phi /);
    t.eq(phis.length, 2, `two phis (i and s) at the loop header:\n${sum}`);
    t.eq(lines(sum, /i32\.load offset=4 v\d+ @\d+$/).length, 1, "the load keeps its offset and its trap site");
    t.eq(lines(sum, /= param 0$/).length, 1, "n is the parameter itself, read in the loop without a phi");
    t.ok(/return v\d+$/m.test(sum), "the function returns s");
  });

  test("IR: if/else results, br_table edges, multi-value calls, dead code", (t) => {
    const [sel, tab, , callm, dead] = functions(ir(wat(`(module
      (global $g (mut i32) (i32.const 0))
      (func (param i32 i64) (result i64)
        (if (result i64) (local.get 0) (then (i64.const 7)) (else (local.get 1))))
      (func (param i32) (result i32)
        (block $a (block $b (br_table $a $b $a (local.get 0))) (return (i32.const 2))) (i32.const 3))
      (func $multi (param i32) (result i32 i32) (local.get 0) (i32.const 1))
      (func (result i32)
        (call $multi (i32.const 5)) (i32.add) (global.set $g (i32.const 1)) (global.get $g) (i32.div_s))
      (func (result i32) (unreachable) (i32.const 1) (drop) (block (br 0))))`)));
    t.ok(/^\s+v\d+:i64 = phi v\d+ v\d+$/m.test(sel), `the if's result is an i64 phi:\n${sel}`);
    t.ok(/^\s+branch v\d+ -> block\d+ block\d+$/m.test(sel), "the if branches two ways");
    t.ok(/^\s+switch v\d+ -> block(\d+) block(\d+) block\1$/m.test(tab), `br_table's three edges, two to one block:\n${tab}`);
    t.eq(lines(callm, /= result [01] v\d+$/).length, 2, `the call's two results are projected:\n${callm}`);
    t.ok(/= i32\.div_s v\d+ v\d+ @\d+$/m.test(callm), "div_s keeps its trap site");
    t.ok(/global\.set 0 v\d+/.test(callm) && /= global\.get 0$/m.test(callm), "globals stay operations");
    t.eq(lines(dead, /^block/).length, 1, `code after unreachable is not built:\n${dead}`);
    t.ok(/^\s+trap @\d+$/m.test(dead), "unreachable traps");
  });

  test("IR: a select that a branch carries out of its block moves onto that edge with its comparison; one on a loop's back edge stays", (t) => {
    // Flag 4: the IR after the optimizing passes (IR_OPTIMIZE, sdk/compiler/src/opt/command.ts).
    const optimized = (bytes: Uint8Array) => functions(new TextDecoder().decode(runCompiler(Command.Ir, [bytes], 4)));
    const [early, latch] = optimized(wat(`(module
      (func (param i32 i32) (result i32)
        (block $out (result i32)
          (drop (br_if $out (select (i32.const -5) (i32.const -15) (i32.lt_u (local.get 0) (i32.const 8)))
            (i32.gt_u (local.get 1) (i32.const 100))))
          (i32.add (local.get 0) (local.get 1))))
      (func (param i32) (result i32) (local i32)
        (loop $top
          (local.set 1 (select (local.get 1) (i32.const 7) (i32.lt_s (local.get 0) (local.get 1))))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $top (local.get 0)))
        (local.get 0)))`));
    // The block that holds the select: the comparison, the select, and a jump to where the branch went.
    const blocks = early.split(/^(?=block\d+)/m).filter((part) => part.startsWith("block"));
    const holder = blocks.find((block) => / = select /.test(block)) ?? "";
    t.eq(lines(holder, /^  /).map((line) => line.trim().replace(/v\d+/g, "v").replace(/block\d+/g, "block")),
      ["v:i32 = i32.lt_u v v", "v:i32 = select v v v", "jump -> block"], `the select and its comparison on the edge:\n${early}`);
    t.ok(/^block\d+ \(preds block0\)$/m.test(holder), `the edge's block has the branch's block as its one predecessor:\n${early}`);
    t.eq(lines(blocks[0] ?? "", /select|lt_u/), [], `the entry block no longer computes them:\n${early}`);
    // A loop's latch keeps its select: onto the back edge it would cost the loop a jump an iteration.
    const header = latch.split(/^(?=block\d+)/m).find((block) => / loop$/m.test(block)) ?? "";
    t.eq(lines(header, / = select /).length, 1, `the loop's select stays in the loop's block:\n${latch}`);
  });

  test("IR: every function of the benchmark programs builds and verifies", (t) => {
    for (const program of benchPrograms) {
      const summary = ir(new Uint8Array(readFileSync(buildProgram(program.name))), true);
      const missing = lines(summary, /no IR/);
      t.eq(missing, [], `${program.name}: every function has an IR`);
      t.ok(lines(summary, /^function \d+: \d+ blocks/).length > 0, `${program.name}: functions built`);
    }
  });

  test(`IR: every function of ${FUZZ_MODULES} fuzzer modules builds and verifies`, async (t) => {
    for (let index = 0; index < FUZZ_MODULES; index++) {
      const module = await generateModule(FUZZ_TEST_SEED, index);
      const summary = ir(module.bytes, true);
      t.eq(lines(summary, /no IR/), [], `fuzz module ${index}: every function has an IR`);
    }
  });

  test("IR: every function of every valid spec-suite module builds and verifies", (t) => {
    let modules = 0;
    let built = 0;
    const missing: string[] = [];
    for (const file of convertSpec()) {
      const commands = (JSON.parse(readFileSync(file.json, "utf8")) as { commands: { type: string; filename?: string; module_type?: string }[] }).commands;
      for (const command of commands) {
        if (command.type !== "module" || !command.filename || command.module_type === "text") continue;
        const bytes = new Uint8Array(readFileSync(join(file.dir, command.filename)));
        if (validateWasm(bytes) !== null) continue;
        modules++;
        const summary = ir(bytes, true);
        built += lines(summary, /^function \d+: \d+ blocks/).length;
        for (const line of lines(summary, /no IR/)) missing.push(`${file.name}/${command.filename}: ${line}`);
      }
    }
    t.ok(modules > 500, `${modules} valid modules read`);
    t.ok(built > 2000, `${built} functions built and verified`);
    t.eq(missing, [], "every function has an IR");
  });
}
