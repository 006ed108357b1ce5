// The optimizing tier (sdk/compiler/src/opt/lower.ts) against the baseline
// and V8: hand-written functions that stress its register allocation (phis
// that swap, more live values than registers, values live across calls),
// its branches and its memory accesses, in both bounds modes; the benchmark
// programs and fuzzer modules compiled by each tier must agree; and the IR
// verifier must reject broken IR.

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { TestFunction } from "../harness";
import { Command, runCompiler, tier2Totals } from "../../sdk/host/compiler";
import { benchPrograms } from "../bench/programs";
import { buildProgram } from "../bench/build-programs";
import { generateModule } from "../fuzz/generate";
import { FUZZ_TEST_SEED } from "../fuzz/fuzz.test";
import { addStateHash } from "../fuzz/instrument";
import { agree } from "../fuzz/compare";
import { planModule, runFuzz } from "../fuzz/run";
import { runScriptNatively } from "../spec/native-backend";
import { describeOutcome, type Script } from "../spec/script";
import { COMPILE_TIER2, LINK_EXPLICIT_BOUNDS, linkLinux, temporaryDirectory, writeExecutable } from "../../sdk/host/linux";
import { buildDir } from "../../sdk/host/paths";
import { ScriptBuilder } from "../../sdk/host/script";
import { type Job, firstDifference, runNative } from "./bootstrap.test";
import { type Call, differential, i32, i64, f32, f64, wat } from "./codegen";
import { constantDivisionCase } from "./codegen-integer.test";
import { compiledInstructions } from "./codegen-shape.test";

/** Fuzzer modules compiled by both tiers and compared. */
const FUZZ_MODULES = 12;
/** Fuzzer modules compiled by tier 2 and compared with V8 (`delos fuzz N --tier 2` runs a longer batch). */
const FUZZ_V8_MODULES = 12;

/** Runs `body` with DELOS_TIER=2, the way `--tier 2` selects the optimizing tier; returns what it returned and the tier's counts meanwhile. */
function underTier2<T>(body: () => T): { value: T; compiled: number; fellBack: number } {
  const before = { ...tier2Totals };
  const saved = process.env.DELOS_TIER;
  process.env.DELOS_TIER = "2";
  try {
    const value = body();
    return { value, compiled: tier2Totals.compiled - before.compiled, fellBack: tier2Totals.fellBack - before.fellBack };
  } finally {
    if (saved === undefined) delete process.env.DELOS_TIER;
    else process.env.DELOS_TIER = saved;
  }
}

const kernels = `(module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (global $h (mut f64) (f64.const 1.5))
  (func $id (param i32) (result i32) (local.get 0))
  (func $twice (param f64) (result f64) (f64.add (local.get 0) (local.get 0)))
  (func $pair (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  ;; Fibonacci with two locals that swap every iteration: phis copied in a cycle.
  (func (export "fib") (param $n i32) (result i64) (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done (loop $top
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $t (i64.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $t))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $top)))
    (local.get $a))
  ;; Sixteen values live at once, more than the registers: some are spilled.
  (func (export "pressure") (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $i i32) (local $j i32) (local $k i32) (local $l i32) (local $m i32) (local $n i32) (local $o i32) (local $p i32)
    (local.set $a (i32.mul (local.get $x) (i32.const 3)))
    (local.set $b (i32.add (local.get $a) (i32.const 5)))
    (local.set $c (i32.xor (local.get $b) (local.get $x)))
    (local.set $d (i32.shl (local.get $c) (i32.const 3)))
    (local.set $e (i32.sub (local.get $d) (local.get $a)))
    (local.set $f (i32.rotl (local.get $e) (local.get $b)))
    (local.set $g (i32.or (local.get $f) (local.get $c)))
    (local.set $h (i32.and (local.get $g) (local.get $d)))
    (local.set $i (i32.shr_u (local.get $h) (local.get $x)))
    (local.set $j (i32.shr_s (local.get $i) (i32.const 1)))
    (local.set $k (call $id (i32.add (local.get $j) (local.get $a))))
    (local.set $l (i32.mul (local.get $k) (local.get $b)))
    (local.set $m (i32.sub (local.get $l) (local.get $c)))
    (local.set $n (i32.add (local.get $m) (local.get $d)))
    (local.set $o (i32.xor (local.get $n) (local.get $e)))
    (local.set $p (i32.add (local.get $o) (local.get $f)))
    (i32.add (i32.add (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
                      (i32.add (i32.add (local.get $e) (local.get $f)) (i32.add (local.get $g) (local.get $h))))
             (i32.add (i32.add (i32.add (local.get $i) (local.get $j)) (i32.add (local.get $k) (local.get $l)))
                      (i32.add (i32.add (local.get $m) (local.get $n)) (i32.add (local.get $o) (local.get $p))))))
  ;; Floats live across calls, a global read and written, a multi-value call.
  (func (export "floats") (param $x f64) (param $y i32) (result f64) (local $s f64) (local $i i32)
    (loop $top
      (local.set $s (f64.add (local.get $s) (f64.mul (call $twice (local.get $x)) (f64.convert_i32_s (local.get $i)))))
      (global.set $h (f64.sub (global.get $h) (f64.sqrt (f64.abs (local.get $s)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_s (local.get $i) (local.get $y))))
    (call $pair (local.get $y) (i32.const 3))
    (drop)
    (f64.convert_i32_u)
    (f64.add (f64.neg (global.get $h)) (local.get $s))
    (f64.add))
  ;; Memory: sums bytes and words, a store at a large offset (traps past the end), select and br_table.
  (func (export "memory") (param $p i32) (param $n i32) (result i32) (local $s i32) (local $i i32)
    (i64.store offset=8 (local.get $p) (i64.const 0x0102030405060708))
    (i32.store16 offset=16 (local.get $p) (i32.const -2))
    (block $done (loop $top
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_s offset=8 (i32.add (local.get $p) (local.get $i)))))
      (local.set $s (select (local.get $s) (i32.const 100) (i32.lt_s (local.get $s) (i32.const 100))))
      (block $c (block $b (block $a
        (br_table $a $b $c (i32.and (local.get $i) (i32.const 3))))
        (local.set $s (i32.add (local.get $s) (i32.const 1))) (br $c))
        (local.set $s (i32.sub (local.get $s) (i32.load16_u offset=16 (local.get $p)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $top)))
    (global.set $g (i32.add (global.get $g) (local.get $s)))
    (i32.add (local.get $s) (global.get $g)))
  (func (export "grow") (param $pages i32) (result i32) (local $before i32)
    (local.set $before (memory.size))
    (drop (memory.grow (local.get $pages)))
    (i32.add (i32.mul (local.get $before) (i32.const 1000)) (memory.size)))
  (func (export "compare") (param $a i64) (param $b i64) (param $x f64) (param $y f64) (result i32)
    (i32.add
      (i32.add (i64.lt_u (local.get $a) (local.get $b)) (i32.shl (i64.ge_s (local.get $a) (local.get $b)) (i32.const 1)))
      (i32.add (i32.shl (f64.lt (local.get $x) (local.get $y)) (i32.const 2))
               (i32.shl (f64.ne (local.get $x) (local.get $y)) (i32.const 3)))))
  (func (export "trap") (param i32) (result i32)
    (if (local.get 0) (then unreachable))
    (i32.const 1)))`;

const lowerings = `(module
  (memory 1)
  (global $sp (mut i32) (i32.const 1024))
  ;; Small callees, inlined by the lowering: a shadow-stack push and pop, a load and a division (their traps stay).
  (func $get (param $p i32) (param $d i32) (result i32)
    (global.set $sp (i32.sub (global.get $sp) (i32.const 4)))
    (i32.store (global.get $sp) (local.get $p))
    (global.set $sp (i32.add (global.get $sp) (i32.const 4)))
    (i32.div_s (i32.load (local.get $p)) (local.get $d)))
  (func $pick (param $x i32) (result i32)
    (if (local.get $x) (then (return (i32.const 10))))
    (i32.const 20))
  ;; The calls in a loop (one iteration): $get is past INLINE_ANYWHERE_VALUES, inlined only there.
  (func (export "inlined") (param $p i32) (param $d i32) (result i32) (local $r i32) (local $n i32)
    (i32.store (local.get $p) (i32.const 1000))
    (loop $again
      (local.set $r (i32.add (local.get $r)
        (i32.add (i32.add (call $get (local.get $p) (local.get $d)) (call $pick (local.get $d)))
          (i32.add (call $get (local.get $p) (i32.const 7)) (global.get $sp)))))
      (br_if $again (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 1))))
    (local.get $r))
  (func (export "trunc_i32_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_i32_u") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
  (func (export "trunc_i64_s") (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
  (func (export "trunc_i64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
  (func (export "saturate") (param f64) (result i64)
    (i64.add (i64.trunc_sat_f64_u (local.get 0)) (i64.extend_i32_s (i32.trunc_sat_f64_s (local.get 0)))))
  (func (export "convert_u") (param i64) (result f64)
    (f64.add (f64.convert_i64_u (local.get 0)) (f64.promote_f32 (f32.convert_i64_u (local.get 0)))))
  (func (export "min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
  (func (export "max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
  (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
  (func (export "arith") (param f64) (result f64)
    (f64.sub (f64.mul (f64.add (local.get 0) (f64.const 0.5)) (f64.const -2.25)) (f64.neg (f64.abs (local.get 0)))))
  ;; Outside every loop $get stays a call; $pick (a few values) is inlined anywhere.
  (func (export "once") (param $p i32) (param $d i32) (result i32)
    (i32.add (call $get (local.get $p) (local.get $d)) (call $pick (local.get $d)))))`;

const indirections = `(module
  (memory 1)
  (type $unary (func (param i32) (result i32)))
  (type $nullary (func (result i32)))
  (table 6 funcref)
  (elem (i32.const 0) $inc $double $seven)
  (elem $spare func $double $inc)
  (data $bytes "\\01\\02\\03\\04\\05\\06\\07\\08")
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $seven (result i32) (i32.const 7))
  (func $id (param i32) (result i32) (local.get 0))
  ;; call_indirect: a callee by index, a signature mismatch, an index past the table, a null element.
  (func (export "indirect") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $unary) (local.get $x) (local.get $i)))
  ;; table.init, elem.drop and table.copy, then a call through the copied element.
  (func (export "tables") (param $n i32) (result i32)
    (table.init $spare (i32.const 3) (i32.const 0) (i32.const 2))
    (elem.drop $spare)
    (table.copy (i32.const 0) (i32.const 3) (local.get $n))
    (call_indirect (type $unary) (i32.const 10) (i32.const 0)))
  ;; memory.init and data.drop (a second init of a dropped segment traps unless empty).
  (func (export "init") (param $dst i32) (param $len i32) (result i32)
    (memory.init $bytes (local.get $dst) (i32.const 0) (local.get $len))
    (data.drop $bytes)
    (i32.load (local.get $dst)))
  ;; Two results merged by an if: the i64 one is dead, the i32 one lives across a call.
  (func (export "phis") (param $c i32) (result i32) (local $r i32)
    (if (result i64 i32) (local.get $c)
      (then (i64.const 5) (i32.const 11))
      (else (i64.const 7) (i32.const 13)))
    (local.set $r)
    (drop)
    (drop (call $id (i32.const 1)))
    (local.get $r))
  ;; A loop exit on the negation of a float comparison (NaN must leave the loop), and
  ;; accesses through one address (only the first needs its bounds check).
  (func (export "loops") (param $x f64) (param $p i32) (result i32) (local $i i32)
    (block $done (loop $top
      (br_if $done (i32.eqz (f64.lt (local.get $x) (f64.const 100))))
      (local.set $x (f64.mul (local.get $x) (f64.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $top)))
    (i32.store offset=4 (local.get $p) (local.get $i))
    (i32.add (local.get $i) (i32.add (i32.load offset=4 (local.get $p)) (i32.load8_u offset=6 (local.get $p))))))`;

export function register(test: TestFunction): void {
  test("tier 2: call_indirect, the bulk table and memory operations, phis and branches agree with V8 without falling back", (t) => {
    const wasm = wat(indirections);
    const { value: problems, compiled, fellBack } = underTier2(() => differential(wasm, [
      { name: "indirect", args: [i32(0), i32(41)] },
      { name: "indirect", args: [i32(1), i32(41)] },
      { name: "indirect", args: [i32(2), i32(41)] },
      { name: "indirect", args: [i32(6), i32(41)] },
      { name: "indirect", args: [i32(-1), i32(41)] },
      { name: "indirect", args: [i32(5), i32(41)] },
      { name: "tables", args: [i32(2)] },
      { name: "indirect", args: [i32(1), i32(41)] },
      { name: "tables", args: [i32(4)] },
      { name: "init", args: [i32(100), i32(8)] },
      { name: "init", args: [i32(200), i32(0)] },
      { name: "init", args: [i32(200), i32(4)] },
      { name: "phis", args: [i32(0)] },
      { name: "phis", args: [i32(1)] },
      { name: "loops", args: [f64(1.5), i32(64)] },
      { name: "loops", args: [f64(NaN), i32(64)] },
      { name: "loops", args: [f64(3), i32(65530)] },
      { name: "loops", args: [f64(3), i32(65526)] },
    ]));
    t.eq(problems, [], "native tier 2 agrees with V8");
    t.eq(fellBack, 0, "no function fell back to the baseline");
    t.ok(compiled >= 2 * 9, `${compiled} functions compiled by tier 2 (two bounds modes)`);
  }, { timeout: 120_000 });

  for (const type of ["i32", "i64"] as const) {
    test(`tier 2: ${type} division and remainder by constants (shifts, magic multipliers, rax and rdx held across) agree with V8 without falling back`, (t) => {
      const { wasm, calls, divisors } = constantDivisionCase(type);
      const { value: problems, compiled, fellBack } = underTier2(() => differential(wasm, calls));
      t.eq(problems.slice(0, 20), [], `${calls.length} calls`);
      t.eq(fellBack, 0, "no function fell back to the baseline");
      t.ok(compiled >= 2 * 8 * divisors.length, `${compiled} functions compiled by tier 2 (two bounds modes)`);
      const divides = compiledInstructions(wasm, 2).filter((text) => /^i?div /.test(text));
      t.eq(divides, [], "no divide instruction in tier 2's code");
    }, { timeout: 300_000 });
  }

  test("tier 2: a leaf function with a small frame has no stack check; a function that calls keeps its own", (t) => {
    const wasm = wat(`(module
      (memory 1)
      (func $leaf (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
      (func $countdown (export "countdown") (param i32) (result i32)
        (if (result i32) (local.get 0)
          (then (i32.add (call $leaf (i32.const 1)) (call $countdown (i32.sub (local.get 0) (i32.const 1)))))
          (else (i32.const 0))))
      (func (export "trapping") (param i32) (result i32) (i32.div_s (i32.const 7) (i32.load (local.get 0)))))`);
    const { value: problems, fellBack } = underTier2(() => differential(wasm, [
      { name: "countdown", args: [i32(5)] },
      { name: "trapping", args: [i32(0)] },
      { name: "trapping", args: [i32(65536)] },
    ]));
    t.eq(problems, [], "agrees with V8, the traps of the leaf included");
    t.eq(fellBack, 0, "no function fell back to the baseline");
    const checks = compiledInstructions(wasm, 2).filter((text) => /^cmp r11,QWORD PTR fs:0x0$/.test(text));
    // $leaf and "trapping" are leaves with small frames; "countdown" calls itself (never inlined into itself).
    t.eq(checks.length, 1, "one stack check: countdown's");
  }, { timeout: 120_000 });

  test("tier 2: a select on a comparison picks by its flags (cmp, cmov), a loop's back edge that copies nothing jumps straight to its header, the high half of an i64 needs no zero-extension", (t) => {
    // Each select's condition is a comparison used only by it, the cases a fused select must keep: signed,
    // unsigned, eqz, 64-bit, the operand already in the result's register, and a constant operand.
    const wasm = wat(`(module
      (func (export "clamp") (param i32 i32) (result i32) (select (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1))))
      (func (export "below") (param i32 i32) (result i32) (select (i32.const -5) (i32.const -15) (i32.lt_u (local.get 0) (local.get 1))))
      (func (export "zero") (param i64 i64) (result i64) (select (local.get 1) (i64.const 42) (i64.eqz (local.get 0))))
      (func (export "wide") (param i64 i64) (result i64) (select (local.get 1) (local.get 0) (i64.gt_u (local.get 0) (local.get 1))))
      (func (export "sum") (param i32) (result i32) (local i32)
        (block (loop
          (br_if 1 (i32.eqz (local.get 0)))
          (local.set 1 (i32.add (local.get 1) (select (local.get 0) (i32.const 3) (i32.ge_s (local.get 0) (i32.const 10)))))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br 0)))
        (local.get 1))
      (func (export "skip") (param i32) (result i32) (local i32)
        (loop $l
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $l (i32.gt_s (i32.and (local.get 0) (i32.const 7)) (i32.const 5)))
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
        (local.get 1))
      (func (export "high") (param i64) (result i32) (i32.and (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32))) (i32.const 0x7fffffff)))
      (func (export "higher") (param i64) (result i32) (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 40)))))`);
    const calls: Call[] = [];
    const values = [0, 1, -1, 7, 10, -2147483648, 2147483647];
    for (const x of values) for (const y of values) {
      calls.push({ name: "clamp", args: [i32(x), i32(y)] });
      calls.push({ name: "below", args: [i32(x), i32(y)] });
    }
    for (const x of [0n, 1n, 18446744073709551615n, 9223372036854775808n]) for (const y of [0n, 5n, 18446744073709551615n]) {
      calls.push({ name: "zero", args: [i64(x), i64(y)] });
      calls.push({ name: "wide", args: [i64(x), i64(y)] });
    }
    for (const n of [0, 1, 9, 10, 25, 1000]) {
      calls.push({ name: "sum", args: [i32(n)] });
      calls.push({ name: "skip", args: [i32(n)] });
    }
    for (const x of [0n, 0xffffffffn, 0x80000000_00000001n, 18446744073709551615n, 0x12345678_9abcdef0n]) {
      calls.push({ name: "high", args: [i64(x)] });
      calls.push({ name: "higher", args: [i64(x)] });
    }
    const { value: problems, fellBack } = underTier2(() => differential(wasm, calls));
    t.eq(problems, [], `${calls.length} calls agree with V8`);
    t.eq(fellBack, 0, "no function fell back to the baseline");
    const code = compiledInstructions(wasm, 2);
    t.eq(code.filter((text) => /^set/.test(text)), [], "no comparison makes a 0 or 1 for a select to test");
    t.ok(code.filter((text) => /^cmov/.test(text)).length >= 5, "each select is a cmov");
    // Direct jumps: each exported function's slot entry to its body (eight), and the jump into sum's rotated
    // loop at its header. skip's two conditional back edges copy nothing (its phis stay in their registers),
    // so each branch goes to the loop itself, not to a stub that jumps there.
    const jumps = code.filter((text) => /^jmp 0x/.test(text));
    t.eq(jumps.length, 9, `nine direct jumps: ${jumps.join("; ")}`);
    // A register moved onto itself: a value returned from the register it is in, or the zero-extension of a
    // high half (a shift right by 32 or more made it already).
    t.eq(code.filter((text) => /^mov (\w+),\1$/.test(text)), [], "no move of a register onto itself");
  }, { timeout: 120_000 });

  test("tier 2: x / c and x % c share one quotient, and a loop of divisions keeps its values out of rax and rdx", (t) => {
    // The digits of a number, signed i32 and unsigned i64: each iteration takes x % 10 and x / 10.
    const wasm = wat(`(module
      (func (export "digits32") (param i32) (result i32) (local i32)
        (block (loop
          (br_if 1 (i32.eqz (local.get 0)))
          (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 31)) (i32.rem_s (local.get 0) (i32.const 10))))
          (local.set 0 (i32.div_s (local.get 0) (i32.const 10)))
          (br 0)))
        (local.get 1))
      (func (export "digits64") (param i64) (result i64) (local i64)
        (block (loop
          (br_if 1 (i64.eqz (local.get 0)))
          (local.set 1 (i64.add (i64.mul (local.get 1) (i64.const 7)) (i64.rem_u (local.get 0) (i64.const 1000))))
          (local.set 0 (i64.div_u (local.get 0) (i64.const 1000)))
          (br 0)))
        (local.get 1)))`);
    const calls: Call[] = [];
    for (const x of [0, 7, -7, 10, -10, 123456789, -123456789, 2147483647, -2147483648]) calls.push({ name: "digits32", args: [i32(x)] });
    for (const x of [0n, 999n, 1000n, 18446744073709551615n, 9223372036854775808n, 1234567890123456789n]) calls.push({ name: "digits64", args: [i64(x)] });
    const { value: problems, fellBack } = underTier2(() => differential(wasm, calls));
    t.eq(problems, [], `${calls.length} calls agree with V8`);
    t.eq(fellBack, 0, "no function fell back to the baseline");
    const code = compiledInstructions(wasm, 2);
    t.eq(code.filter((text) => /,0x66666667$/.test(text)).length, 1, "the i32 quotient by 10 is computed once");
    t.eq(code.filter((text) => /^movabs /.test(text)).length, 1, "the i64 quotient by 1000 is computed once (its one 64-bit magic constant)");
    const saved = code.filter((text) => /^mov QWORD PTR \[rbp-0x[0-9a-f]+\],r[ad]x$/.test(text));
    t.eq(saved, [], "nothing saves rax or rdx to the frame around the divisions");
  }, { timeout: 120_000 });

  test("tier 2: inlined callees, conversions, min/max/copysign agree with V8 without falling back", (t) => {
    const wasm = wat(lowerings);
    const { value: problems, compiled, fellBack } = underTier2(() => differential(wasm, [
      { name: "inlined", args: [i32(64), i32(3)] },
      { name: "inlined", args: [i32(64), i32(0)] },
      { name: "inlined", args: [i32(65535), i32(1)] },
      { name: "trunc_i32_s", args: [f64(-2147483648.9)] },
      { name: "trunc_i32_s", args: [f64(-2147483649)] },
      { name: "trunc_i32_s", args: [f64(2147483647.5)] },
      { name: "trunc_i32_s", args: [f64(NaN)] },
      { name: "trunc_i32_u", args: [f32(4294967040)] },
      { name: "trunc_i32_u", args: [f32(-0.75)] },
      { name: "trunc_i32_u", args: [f32(-1)] },
      { name: "trunc_i64_s", args: [f32(-9223372036854775808)] },
      { name: "trunc_i64_s", args: [f32(9223372036854775808)] },
      { name: "trunc_i64_u", args: [f64(18446744073709549568)] },
      { name: "trunc_i64_u", args: [f64(9223372036854775808)] },
      { name: "trunc_i64_u", args: [f64(18446744073709551616)] },
      { name: "trunc_i64_u", args: [f64(NaN)] },
      { name: "saturate", args: [f64(1e300)] },
      { name: "saturate", args: [f64(-1e300)] },
      { name: "saturate", args: [f64(NaN)] },
      { name: "saturate", args: [f64(12345.75)] },
      { name: "convert_u", args: [i64(-1n)] },
      { name: "convert_u", args: [i64(-(1n << 62n) + 1n)] },
      { name: "convert_u", args: [i64(0x20000000000001n)] },
      { name: "min", args: [f64(0), f64(-0)] },
      { name: "min", args: [f64(-1), f64(NaN)] },
      { name: "min", args: [f64(3), f64(-4)] },
      { name: "max", args: [f32(-0), f32(0)] },
      { name: "max", args: [f32(2), f32(1)] },
      { name: "copysign", args: [f64(2.5), f64(-0)] },
      { name: "copysign", args: [f64(-7), f64(1)] },
      { name: "arith", args: [f64(-3.25)] },
      { name: "once", args: [i32(64), i32(3)] },
    ]));
    t.eq(problems, [], "native tier 2 agrees with V8");
    t.eq(fellBack, 0, "no function fell back to the baseline");
    t.ok(compiled >= 2 * 13, `${compiled} functions compiled by tier 2 (two bounds modes)`);
    const text = new TextDecoder().decode(runCompiler(Command.Ir, [wasm], 4 | 8));
    const caller = text.slice(text.indexOf("function 2 "), text.indexOf("function 3 "));
    t.ok(caller.length > 0 && !/ call /.test(caller), `the small callees are inlined:\n${caller}`);
    const once = text.slice(text.indexOf("function 13 "));
    t.eq((once.match(/ call 0 /g) ?? []).length, 1, `outside a loop the larger callee stays a call, the smaller is inlined:\n${once}`);
    t.ok(!/ call 1 /.test(once), "no call of $pick");
    for (const program of benchPrograms) {
      const summary = new TextDecoder().decode(runCompiler(Command.Ir, [new Uint8Array(readFileSync(buildProgram(program.name)))], 1 | 4 | 8));
      t.ok(!/no IR/.test(summary), `${program.name}: every function inlined into, optimized and verified`);
    }
  }, { timeout: 120_000 });

  test("the register convention: parameters of both classes past the registers, rotated arguments, several results and exported callees agree with V8 in both tiers", (t) => {
    // $mix takes six of each class interleaved: the fifth and sixth of each
    // go in slots, the first four of each in rdi-rcx and xmm0-xmm3. It is
    // exported too (its slot entry) and called directly; $sub3's arguments
    // rotate through the parameter registers; $pair returns two results,
    // both in slots; $fsum recurses with float parameters.
    const wasm = wat(`(module
      (func $mix (export "mix") (param i32 f64 i64 f32 i32 f64 i64 f32 i32 f64 i32 f64) (result f64)
        (f64.add (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.mul (local.get 1) (f64.const 3)))
                          (f64.add (f64.convert_i64_s (local.get 2)) (f64.promote_f32 (local.get 3))))
          (f64.add (f64.add (f64.mul (f64.convert_i32_s (local.get 4)) (f64.const 5)) (f64.mul (local.get 5) (f64.const 7)))
            (f64.add (f64.add (f64.mul (f64.convert_i64_s (local.get 6)) (f64.const 11)) (f64.promote_f32 (local.get 7)))
              (f64.add (f64.add (f64.mul (f64.convert_i32_s (local.get 8)) (f64.const 13)) (local.get 9))
                (f64.add (f64.mul (f64.convert_i32_s (local.get 10)) (f64.const 17)) (f64.mul (local.get 11) (f64.const 19))))))))
      (func (export "callmix") (param i32 f64) (result f64)
        (call $mix (local.get 0) (local.get 1) (i64.const 7) (f32.const 2.5) (i32.const 3) (f64.const -1)
          (i64.const 9) (f32.const 0.25) (i32.add (local.get 0) (i32.const 1)) (f64.const 4) (local.get 0) (local.get 1)))
      (func $sub3 (param i32 i32 i32) (result i32)
        (i32.or (i32.and (i32.sub (i32.mul (local.get 0) (i32.const 100)) (i32.add (i32.mul (local.get 1) (i32.const 10))
      (i32.xor (local.get 2) (i32.rotl (local.get 0) (local.get 1))))) (i32.const 0xfffff)) (i32.shl (local.get 2) (i32.const 3))))
      (func (export "rotate") (param i32 i32 i32) (result i32)
        (i32.add (call $sub3 (local.get 1) (local.get 2) (local.get 0))
                 (call $sub3 (local.get 2) (local.get 0) (local.get 1))))
      (func $pair (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
      (func (export "pairs") (param i32 i64) (result i64)
        local.get 0 local.get 1 call $pair i64.extend_i32_u i64.sub)
      (func $fsum (param f32 f64 i32) (result f64)
        (if (result f64) (i32.eqz (local.get 2)) (then (local.get 1))
          (else (call $fsum (local.get 0) (f64.add (local.get 1) (f64.promote_f32 (local.get 0))) (i32.sub (local.get 2) (i32.const 1))))))
      (func (export "fsum") (param f32 i32) (result f64) (call $fsum (local.get 0) (f64.const 0.5) (local.get 1))))`);
    const calls: Call[] = [
      { name: "mix", args: [i32(1), f64(2), i64(3n), f32(4), i32(5), f64(6), i64(7n), f32(8), i32(9), f64(10), i32(11), f64(12)] },
      { name: "callmix", args: [i32(-4), f64(0.75)] },
      { name: "rotate", args: [i32(1), i32(2), i32(3)] },
      { name: "pairs", args: [i32(5), i64(-9n)] },
      { name: "fsum", args: [f32(1.5), i32(20)] },
    ];
    t.eq(differential(wasm, calls), [], "the baseline agrees with V8");
    const { value: problems, compiled, fellBack } = underTier2(() => differential(wasm, calls));
    t.eq(problems, [], "tier 2 agrees with V8");
    t.eq(fellBack, 0, "no function fell back to the baseline");
    t.ok(compiled > 0, `${compiled} functions compiled by tier 2`);
  }, { timeout: 120_000 });

  test("tier 2: functions that swap phis, spill, call and branch agree with V8 in both bounds modes", (t) => {
    const wasm = wat(kernels);
    const { value: problems, compiled, fellBack } = underTier2(() => differential(wasm, [
      { name: "fib", args: [i32(0)] },
      { name: "fib", args: [i32(1)] },
      { name: "fib", args: [i32(90)] },
      { name: "pressure", args: [i32(0)] },
      { name: "pressure", args: [i32(12345)] },
      { name: "pressure", args: [i32(-7)] },
      { name: "floats", args: [f64(1.25), i32(10)] },
      { name: "floats", args: [f64(-3), i32(1)] },
      { name: "memory", args: [i32(100), i32(12)] },
      { name: "memory", args: [i32(65520), i32(4)] },
      { name: "memory", args: [i32(65530), i32(0)] },
      { name: "grow", args: [i32(2)] },
      { name: "memory", args: [i32(65530), i32(0)] },
      { name: "compare", args: [i64(-1n), i64(2n), f64(1), f64(NaN)] },
      { name: "compare", args: [i64(1n), i64(2n), f64(1), f64(2)] },
      { name: "compare", args: [i64(5n), i64(5n), f64(NaN), f64(NaN)] },
      { name: "trap", args: [i32(0)] },
      { name: "trap", args: [i32(1)] },
    ]));
    t.eq(problems, [], "native tier 2 agrees with V8");
    t.eq(fellBack, 0, "no function fell back to the baseline");
    t.ok(compiled >= 2 * 10, `${compiled} functions compiled by tier 2 (two bounds modes)`);
  }, { timeout: 120_000 });

  test("tier 2: the benchmark programs give the baseline's results", async (t) => {
    let compiled = 0, fellBack = 0;
    for (const program of benchPrograms) {
      const bytes = new Uint8Array(readFileSync(buildProgram(program.name)));
      // A small n: the result, not the speed, is compared here.
      const n = { type: "i32" as const, bits: BigInt(Math.max(1, Math.floor(program.n / 50))) };
      const script: Script = {
        components: [bytes],
        commands: [{ op: "instantiate", component: 0, instance: 0 }, { op: "invoke", instance: 0, name: "run", args: [n] }],
      };
      const baseline = await runScriptNatively(script, "guard", { tier: 1, componentNames: [program.name] });
      const before = { ...tier2Totals };
      for (const bounds of ["guard", "explicit"] as const) {
        const optimized = await runScriptNatively(script, bounds, { tier: 2, componentNames: [program.name] });
        t.ok(agree(baseline[1], optimized[1]) && baseline[1].kind === "values",
          `${program.name} (${bounds}): tier 2 ${describeOutcome(optimized[1])}, baseline ${describeOutcome(baseline[1])}`);
      }
      compiled += tier2Totals.compiled - before.compiled;
      fellBack += tier2Totals.fellBack - before.fellBack;
    }
    t.ok(compiled > 0, `${compiled} function compilations by tier 2, ${fellBack} fell back to the baseline`);
  }, { timeout: 600_000 });

  test(`tier 2: ${FUZZ_MODULES} fuzzer modules give the baseline's results and memory`, async (t) => {
    let compared = 0;
    for (let index = 0; index < FUZZ_MODULES; index++) {
      const module = await generateModule(FUZZ_TEST_SEED, index);
      const plan = planModule(addStateHash(module.bytes), FUZZ_TEST_SEED, index);
      if (typeof plan === "string") continue;
      const script = plan.script;
      const bounds = index % 2 === 0 ? "guard" : "explicit";
      const baseline = await runScriptNatively(script, bounds, { tier: 1 });
      const optimized = await runScriptNatively(script, bounds, { tier: 2 });
      const differences: string[] = [];
      compared++;
      for (let i = 0; i < script.commands.length; i++) {
        if (!agree(baseline[i], optimized[i])) differences.push(`command ${i}: tier 2 ${describeOutcome(optimized[i])}, baseline ${describeOutcome(baseline[i])}`);
      }
      t.eq(differences, [], `fuzz module ${index} (${bounds}): ${script.commands.length} commands agree`);
    }
    t.ok(compared >= FUZZ_MODULES / 2, `${compared} modules compared`);
  }, { timeout: 600_000 });

  test(`tier 2: ${FUZZ_V8_MODULES} fuzz modules agree in V8 and natively by tier 2`, async (t) => {
    const lines: string[] = [];
    const tally = await runFuzz({ count: FUZZ_V8_MODULES, seed: FUZZ_TEST_SEED + 2, tier: 2, log: (line) => lines.push(line) });
    t.ok(tally.exportsCompared > 0, `${tally.exportsCompared} exports compared`);
    t.eq(tally.disagreements, 0, `disagreements (build/fuzz/failures/ holds each module)\n${lines.join("\n")}`);
  }, { timeout: 900_000 });

  test("tier 2: the fuzz module whose dead phi shared a register with the next phi agrees with V8", async (t) => {
    // A block's dead i64 phi once got the register of the i32 phi after it; the
    // edge's parallel copy then overwrote the function's result (187 for 0).
    const lines: string[] = [];
    const tally = await runFuzz({ count: 1, seed: 321963486, only: 88, bounds: "guard", tier: 2, log: (line) => lines.push(line) });
    t.ok(tally.exportsCompared > 0, `${tally.exportsCompared} exports compared`);
    t.eq(tally.disagreements, 0, `disagreements\n${lines.join("\n")}`);
  }, { timeout: 120_000 });

  test("redundancy elimination: a global is read once until a call, pure operations once, and the IR still verifies", (t) => {
    const text = new TextDecoder().decode(runCompiler(Command.Ir, [wat(`(module
      (global $sp (mut i32) (i32.const 64))
      (func $f)
      (func (param $x i32) (result i32)
        (i32.add (global.get $sp) (global.get $sp))
        (i32.mul (local.get $x) (i32.const 3))
        (i32.mul (local.get $x) (i32.const 3))
        (i32.add)
        (i32.add)
        (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
        (i32.add (global.get $sp))
        (call $f)
        (i32.add (global.get $sp))))`)], 4));
    const body = text.slice(text.indexOf("function 1 "));
    t.eq(body.split("\n").filter((line) => /= global\.get 0$/.test(line)).length, 2, `one read before the call, one after:\n${body}`);
    t.eq(body.split("\n").filter((line) => /= i32\.mul /.test(line)).length, 1, "the repeated multiplication is computed once");
    for (const program of benchPrograms) {
      const summary = new TextDecoder().decode(runCompiler(Command.Ir, [new Uint8Array(readFileSync(buildProgram(program.name)))], 5));
      t.ok(!/no IR/.test(summary), `${program.name}: every function optimized and verified`);
    }
  });

  test("the IR verifier rejects every kind of broken IR", (t) => {
    const wasm = wat(kernels);
    const text = new TextDecoder().decode(runCompiler(Command.Ir, [wasm], 2));
    const lines = text.split("\n").filter((line) => line.length > 0);
    const accepted = lines.filter((line) => /ACCEPTED$/.test(line));
    t.eq(accepted, [], "no corruption passes the verifier");
    for (const kind of ["its own instruction", "missing the operand", "retyped", "without its terminator", "no edge comes from"]) {
      t.ok(lines.some((line) => line.includes(kind) && line.includes("rejected: ")), `${kind}: rejected`);
    }
  });

  test("tier 2 bootstrap: the compiler built by tier 2 writes byte-identical output to its V8 build", (t) => {
    const cli = join(buildDir, "compiler-cli.wasm");
    const directory = temporaryDirectory("delos-bootstrap-tier2-");
    try {
      const executable = join(directory.path, "compiler");
      const start = new ScriptBuilder().instantiate(0, 0).start(0).bytes();
      const { compiled, fellBack } = underTier2(() => writeExecutable(executable, linkLinux([new Uint8Array(readFileSync(cli))], start, { tier: 2 })));
      t.ok(compiled > fellBack, `the compiler: ${compiled} functions by tier 2, ${fellBack} by the baseline`);
      const jobs: Job[] = [
        { name: "its own wasm by tier 2", command: Command.Compile, flags: COMPILE_TIER2, inputs: [cli] },
        { name: "its own wasm by tier 2, explicit bounds", command: Command.Compile, flags: COMPILE_TIER2 | LINK_EXPLICIT_BOUNDS, inputs: [cli] },
        { name: "its own wasm by the baseline", command: Command.Compile, flags: 0, inputs: [cli] },
        ...["nbody", "maps"].map((name) => ({ name: `${name} by tier 2`, command: Command.Compile, flags: COMPILE_TIER2, inputs: [buildProgram(name)] })),
      ];
      for (const job of jobs) {
        const output = join(directory.path, `${basename(job.inputs[0])}.${job.flags}.out`);
        const expected = runCompiler(job.command, job.inputs.map((path) => new Uint8Array(readFileSync(path))), job.flags);
        const native = runNative(executable, job, output);
        if (native.status !== 0) {
          t.fail(`${job.name}: the native compiler exited with ${native.status}: ${native.stderr}`);
          continue;
        }
        const actual = new Uint8Array(readFileSync(output));
        const same = Buffer.compare(actual, expected) === 0;
        t.ok(same, `${job.name}: ${same ? `${actual.length} identical bytes` : firstDifference(expected, actual)}`);
      }
    } finally {
      directory.remove();
    }
  }, { timeout: 1_200_000 });
}
