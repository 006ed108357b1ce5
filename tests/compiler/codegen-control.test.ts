// The generator's control flow and calls, compared with V8: blocks, loops
// and ifs with several parameters and results, branches that carry values
// out of nested blocks (br, br_if, br_table, including to the function's
// own label), dead code after branches, select with every operand kind,
// calls with more parameters and results than registers, recursion, the
// stack exhaustion trap, globals, and trap reports naming the function.

import type { TestFunction } from "../harness";
import { runLinux } from "../../sdk/host/linux";
import { ScriptBuilder } from "../../sdk/host/script";
import { BOTH_MODES, Call, differential, expectOutcomes, i32, i64, f32, f64, wat } from "./codegen";

const TIMEOUT = 300_000;

const CONTROL = `(module
  (type $two (func (param i32 i32) (result i32 i32)))
  (global $g (mut i32) (i32.const 5))
  (global $h (mut i64) (i64.const -1))
  (global $k f64 (f64.const 2.5))

  ;; Multi-value block and loop parameters, swapped and summed.
  (func (export "swap-block") (param i32 i32) (result i32)
    (local.get 0) (local.get 1)
    (block (type $two) (local.set 0) (local.set 1) (local.get 0) (local.get 1))
    (i32.sub))
  (func (export "loop-params") (param i32) (result i32)
    (i32.const 0) (local.get 0)
    (loop $next (param i32 i32) (result i32)
      ;; (sum, n) -> (sum + n, n - 1) while n - 1 > 0
      (local.set 0)
      (local.get 0) (i32.add)
      (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $next (i32.gt_s (local.get 0) (i32.const 0)))
      (drop)))
  (func (export "if-params") (param i32 i32) (result i32)
    (local.get 1) (i32.const 3)
    (if (param i32 i32) (result i32) (local.get 0)
      (then (i32.mul))
      (else (i32.sub))))
  (func (export "if-no-else") (param i32) (result i32)
    (i32.const 7)
    (if (param i32) (result i32) (local.get 0) (then (i32.add (i32.const 100)))))
  ;; Values carried out of nested blocks by every kind of branch.
  (func (export "carry") (param i32) (result i32)
    (i32.add (i32.const 1000)
      (block $outer (result i32)
        (i32.add (i32.const 100)
          (block $middle (result i32)
            (i32.add (i32.const 10)
              (block $inner (result i32)
                (br_table $inner $middle $outer 0 (i32.const 1) (local.get 0)))))))))
  (func (export "carry-if") (param i32) (result i32)
    (i32.mul (i32.const 3)
      (block $b (result i32)
        (drop (br_if $b (i32.const 42) (i32.eq (local.get 0) (i32.const 1))))
        (drop (br_if $b (i32.const 43) (local.get 0)))
        (i32.const 44))))
  (func (export "return-from-depth") (param i32) (result i64 i32)
    (block $a (result i64 i32)
      (block $b (result i64 i32)
        i64.const 77 i32.const 88 local.get 0 i32.eqz br_if 2
        drop drop
        i64.const 55 i32.const 66 local.get 0 br_table $b $a 2)
      i32.const 1 i32.add)
    i32.const 2 i32.add)
  (func (export "table-many") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $b $a $d $c (local.get 0)))
      (return (i32.const 1)))
      (return (i32.const 2)))
      (return (i32.const 3)))
    (i32.const 4))
  ;; Code after a branch is dead, whatever it leaves on the stack.
  (func (export "dead") (param i32) (result i32)
    (block (result i32)
      (br 0 (local.get 0))
      (i64.const 1) (f32.const 2) (drop) (drop) (i32.const 3) (i32.add (unreachable)))
    (i32.add (i32.const 1)))
  (func (export "unreachable-if") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (return (i32.const 5))) (else (unreachable))))
  ;; select with constants, locals, registers and slots, int and float.
  (func (export "select") (param i32 i64 i64) (result i64)
    (i64.add
      (select (local.get 1) (local.get 2) (local.get 0))
      (i64.add
        (select (i64.const 7) (i64.const 0x100000000) (local.get 0))
        (select (i64.mul (local.get 1) (i64.const 3)) (block (result i64) (br 0 (local.get 2))) (i32.eqz (local.get 0))))))
  (func (export "select-f") (param i32 f64 f64) (result f64)
    (f64.add (select (local.get 1) (local.get 2) (local.get 0)) (select (f64.const 0.5) (local.get 2) (local.get 0))))
  ;; Globals, mutable and not.
  (func (export "globals") (param i32) (result i64)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (global.set $h (i64.extend_i32_s (global.get $g)))
    (i64.add (global.get $h) (i64.trunc_f64_s (global.get $k))))
  ;; Calls with more parameters and results than registers.
  (func $wide (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64 i32 i64)
        (result i64 f64 i32 f32 i64 i32 f64 i64 i32 i32 i64 i64 f64 f64)
    (i64.add (local.get 1) (local.get 17))
    (f64.add (local.get 3) (f64.promote_f32 (local.get 14)))
    (i32.add (local.get 0) (local.get 16))
    (f32.mul (local.get 2) (local.get 6))
    (local.get 5) (local.get 4) (local.get 7) (local.get 9) (local.get 8) (local.get 12)
    (local.get 13) (i64.extend_i32_u (local.get 12)) (local.get 11) (local.get 15))
  (func (export "wide") (param i32) (result f64)
    (local i64 f64 i32 f32 i64 i32 f64 i64 i32 i32 i64 i64 f64 f64)
    (call $wide (local.get 0) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6)
      (f32.const 7) (f64.const 8) (i32.const 9) (i64.const 10) (f32.const 11) (f64.const 12)
      (i32.const 13) (i64.const 14) (f32.const 15) (f64.const 16) (i32.const 17) (i64.mul (i64.const 18) (i64.extend_i32_u (local.get 0))))
    (local.set 14) (local.set 13) (local.set 12) (local.set 11) (local.set 10) (local.set 9) (local.set 8)
    (local.set 7) (local.set 6) (local.set 5) (local.set 4) (local.set 3) (local.set 2) (local.set 1)
    (f64.add (f64.add (f64.add (f64.convert_i64_s (local.get 1)) (local.get 2))
      (f64.add (f64.convert_i32_s (local.get 3)) (f64.promote_f32 (local.get 4))))
      (f64.add (f64.add (f64.convert_i64_s (local.get 5)) (f64.convert_i32_s (local.get 6)))
        (f64.add (f64.add (local.get 7) (f64.convert_i64_s (local.get 8)))
          (f64.add (f64.convert_i32_s (i32.add (local.get 9) (local.get 10)))
            (f64.add (f64.convert_i64_s (i64.add (local.get 11) (local.get 12))) (f64.add (local.get 13) (local.get 14))))))))
  ;; Values live across a call are spilled and come back.
  (func $id (param i64) (result i64) (local.get 0))
  (func (export "across-call") (param i64) (result i64)
    (i64.add (i64.mul (local.get 0) (i64.const 3))
      (i64.add (call $id (i64.add (local.get 0) (i64.const 1)))
        (i64.sub (i64.const 100) (call $id (local.get 0))))))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
  (func $forever (export "forever") (param i64) (result i64) (i64.add (call $forever (local.get 0)) (i64.const 1)))
  (func $big (export "big-frame") (param i32) (result i32) (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $big (i32.sub (local.get 0) (i32.const 1))))))
)`;

function controlCalls(): Call[] {
  const calls: Call[] = [];
  const small = [0, 1, 2, 3, 4, 5, 6, 7, 100, -1];
  for (const a of small) {
    calls.push({ name: "loop-params", args: [i32(Math.abs(a) % 50)] });
    calls.push({ name: "if-no-else", args: [i32(a)] });
    calls.push({ name: "carry", args: [i32(a)] });
    calls.push({ name: "carry-if", args: [i32(a)] });
    calls.push({ name: "return-from-depth", args: [i32(a)] });
    calls.push({ name: "table-many", args: [i32(a)] });
    calls.push({ name: "dead", args: [i32(a)] });
    calls.push({ name: "unreachable-if", args: [i32(a)] });
    calls.push({ name: "globals", args: [i32(a)] });
    calls.push({ name: "wide", args: [i32(a)] });
    calls.push({ name: "across-call", args: [i64(BigInt(a) * 0x100000001n)] });
    for (const b of small) {
      calls.push({ name: "swap-block", args: [i32(a), i32(b)] });
      calls.push({ name: "if-params", args: [i32(a), i32(b)] });
      calls.push({ name: "select", args: [i32(a), i64(BigInt(b)), i64(BigInt(a - b) << 33n)] });
      calls.push({ name: "select-f", args: [i32(a), f64(b / 3), f64(a * 1.5)] });
    }
  }
  calls.push({ name: "fib", args: [i32(20)] });
  calls.push({ name: "deep", args: [i32(10000)] });
  calls.push({ name: "forever", args: [i64(1)] });
  calls.push({ name: "deep", args: [i32(5)] });
  calls.push({ name: "big-frame", args: [i32(1000)] });
  return calls;
}

function findBytes(haystack: Uint8Array, needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((byte, k) => haystack[i + k] === byte)) return i;
  }
  throw new Error("bytes not found");
}

/**
 * Loops that keep many locals of every type in registers, with calls, memory.grow
 * and bulk operations (which clobber registers) inside, and locals as their operands.
 */
const REGISTER_LOCALS = `(module
  (memory 1 4)
  (func $mix (param i64 f64) (result i64) (i64.add (local.get 0) (i64.trunc_sat_f64_s (local.get 1))))
  (func (export "loop") (param $n i32) (result i64)
    (local $i i32) (local $a i64) (local $b i64) (local $c i32) (local $d i32) (local $e i64) (local $f i32) (local $g i32)
    (local $x f64) (local $y f64) (local $z f32) (local $w f64) (local $v f32) (local $u f64) (local $t f64) (local $s f32) (local $r f64)
    (local.set $x (f64.const 1.5))
    (local.set $z (f32.const -2))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $i))))
      (local.set $b (i64.xor (local.get $b) (i64.shl (local.get $a) (i64.const 3))))
      (local.set $c (i32.add (local.tee $d (i32.mul (local.get $i) (i32.const 7))) (local.get $c)))
      (local.set $e (call $mix (local.get $a) (local.get $x)))
      (local.set $f (i32.rem_u (local.get $c) (i32.add (local.get $i) (i32.const 1))))
      (local.set $g (i32.shl (local.get $g) (local.get $i)))
      (local.set $x (f64.add (local.get $x) (f64.mul (local.get $y) (f64.const 0.5))))
      (local.set $y (f64.sub (local.get $x) (f64.convert_i32_u (local.get $d))))
      (local.set $z (f32.mul (local.get $z) (f32.const -1.0009765625)))
      (local.set $w (f64.max (local.get $w) (local.get $y)))
      (local.set $v (f32.add (local.get $v) (local.get $z)))
      (local.set $u (f64.min (local.get $u) (local.get $x)))
      (local.set $t (f64.add (local.get $t) (f64.promote_f32 (local.get $v))))
      (local.set $s (f32.demote_f64 (local.get $t)))
      (local.set $r (f64.add (local.get $r) (local.get $w)))
      (i32.store (i32.and (local.get $d) (i32.const 0xfff0)) (local.get $c))
      (memory.copy (i32.and (local.get $c) (i32.const 0x7ff)) (local.get $f) (i32.and (local.get $i) (i32.const 63)))
      (memory.fill (i32.and (local.get $d) (i32.const 0x3ff)) (local.get $i) (local.get $f))
      (if (i32.eq (local.get $i) (i32.const 5)) (then (drop (memory.grow (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i64.add
      (i64.add (i64.add (local.get $a) (local.get $b)) (i64.add (local.get $e) (i64.extend_i32_u (local.get $f))))
      (i64.add
        (i64.add (i64.extend_i32_u (local.get $g)) (i64.load (i32.const 64)))
        (i64.add
          (i64.trunc_sat_f64_s (f64.add (f64.add (local.get $x) (local.get $y)) (f64.add (local.get $w) (local.get $u))))
          (i64.add (i64.reinterpret_f64 (local.get $r))
            (i64.extend_i32_u (i32.add (i32.reinterpret_f32 (local.get $s)) (i32.reinterpret_f32 (local.get $z)))))))))
)`;

/**
 * A function's most read global kept in a register (ValueStack.cacheGlobal):
 * callees that change it (directly, indirectly through the table, and as
 * the operand of the call), reads left latent across those calls, writes
 * seen by a trap that follows them, loops and branches.
 */
const CACHED_GLOBALS = `(module
  (type $t (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $bump $reset)
  (global $sp (mut i32) (i32.const 1000))
  (global $wide (mut i64) (i64.const 5))
  (func $bump (result i32) (global.set $sp (i32.add (global.get $sp) (i32.const 7))) (global.get $sp))
  (func $reset (result i32) (global.set $sp (i32.const 3)) (i32.const 0))
  (func $take (param i32) (result i32)
    (global.set $sp (i32.xor (global.get $sp) (local.get 0))) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "across-call") (param i32) (result i32)
    (i32.add (i32.add (global.get $sp) (i32.mul (global.get $sp) (i32.const 2)))
      (i32.add (call $bump) (i32.add (global.get $sp) (global.get $sp)))))
  (func (export "argument") (param i32) (result i32)
    (i32.add (i32.add (global.get $sp) (global.get $sp)) (i32.add (call $take (global.get $sp)) (global.get $sp))))
  (func (export "indirect") (param i32) (result i32)
    (i32.sub (i32.add (global.get $sp) (global.get $sp))
      (i32.add (call_indirect (type $t) (local.get 0)) (i32.add (global.get $sp) (global.get $sp)))))
  (func (export "loop") (param i32) (result i32) (local $i i32) (local $sum i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
      (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
      (i32.store (i32.and (global.get $sp) (i32.const 0xfffc)) (local.get $i))
      (if (i32.eq (i32.and (local.get $i) (i32.const 3)) (i32.const 1)) (then (drop (call $bump))))
      (local.set $sum (i32.add (local.get $sum) (i32.load (i32.and (global.get $sp) (i32.const 0xfffc)))))
      (local.set $sum (i32.xor (local.get $sum) (global.get $sp)))
      (global.set $sp (i32.add (global.get $sp) (i32.const 16)))
      (global.set $wide (i64.add (global.get $wide) (i64.extend_i32_u (global.get $sp))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.add (local.get $sum) (i32.wrap_i64 (global.get $wide))))
  (func (export "set-then-trap") (param i32) (result i32)
    (global.set $sp (i32.add (global.get $sp) (local.get 0)))
    (drop (i32.add (global.get $sp) (global.get $sp)))
    (i32.div_u (global.get $sp) (i32.sub (global.get $sp) (global.get $sp))))
  (func (export "load-into") (param i32) (result i32)
    ;; a load straight into the global's register (and through to its cell), in bounds or trapping
    (i32.store (i32.const 0) (i32.add (global.get $sp) (i32.const 5)))
    (global.set $sp (i32.load (local.get 0)))
    (i32.add (global.get $sp) (i32.add (global.get $sp) (global.get $sp))))
  (func (export "get") (result i32) (global.get $sp))
  (func (export "set") (param i32) (global.set $sp (local.get 0)))
  (memory 1)
)`;

/** Declared locals must read as zero until set, whichever path sets them. */
const ZEROED_LOCALS = `(module
  (func $clobber (result i32) (i32.const 7))
  (func (export "zero") (param $skip i32) (result i64)
    (local $top i32) (local $maybe i32) (local $maybe64 i64) (local $sum i64) (local $n i32) (local $never f64) (local $neverf f32)
    ;; set first at the top: never read before
    (local.set $top (i32.const 5))
    ;; set first inside a block that may be skipped
    (block (br_if 0 (local.get $skip)) (local.set $maybe (i32.const 9)) (local.set $maybe64 (i64.const 11)))
    (drop (call $clobber))
    (loop $l
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $maybe))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (drop (call $clobber))
      (br_if $l (i32.lt_u (local.get $n) (i32.const 3))))
    (i64.add (i64.add (local.get $maybe64) (local.get $sum))
      (i64.add (i64.extend_i32_u (local.get $top))
        (i64.add (i64.reinterpret_f64 (local.get $never)) (i64.extend_i32_u (i32.reinterpret_f32 (local.get $neverf)))))))
  ;; A set covers the reads inside its own block only: not those in the
  ;; other arm of its if, nor those after its block ends.
  (func (export "arms") (param $c i32) (result i32)
    (local $a i32) (local $b i32) (local $i i32) (local $acc i32) (local $d i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $a (i32.const 3)))
        (else (local.set $acc (i32.add (local.get $acc) (local.get $a)))))
      (block
        (br_if 0 (local.get $c))
        (local.set $b (i32.const 100))
        (local.set $d (i32.const 1000))
        (block (local.set $acc (i32.add (local.get $acc) (local.get $d))))
        (local.set $acc (i32.add (local.get $acc) (local.get $b))))
      (local.set $acc (i32.add (local.get $acc) (local.get $b)))
      (drop (call $clobber))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 4))))
    (i32.add (local.get $acc) (local.get $d)))
  ;; Leaves non-zero values in the stack memory the next call's frame takes.
  (func (export "scribble") (param $x i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 1 (local.get $x)) (local.set 2 (local.get $x)) (local.set 3 (local.get $x)) (local.set 4 (local.get $x))
    (local.set 5 (local.get $x)) (local.set 6 (local.get $x)) (local.set 7 (local.get $x)) (local.set 8 (local.get $x))
    (local.set 9 (local.get $x)) (local.set 10 (local.get $x)) (local.set 11 (local.get $x)) (local.set 12 (local.get $x))
    (local.set 13 (local.get $x)) (local.set 14 (local.get $x)) (local.set 15 (local.get $x)) (local.set 16 (local.get $x))
    (drop (call $clobber))
    (i32.add (i32.add (i32.add (local.get 1) (local.get 2)) (i32.add (local.get 3) (local.get 4)))
      (i32.add (i32.add (i32.add (local.get 5) (local.get 6)) (i32.add (local.get 7) (local.get 8)))
        (i32.add (i32.add (i32.add (local.get 9) (local.get 10)) (i32.add (local.get 11) (local.get 12)))
          (i32.add (i32.add (local.get 13) (local.get 14)) (i32.add (local.get 15) (local.get 16)))))))
)`;

export function register(test: TestFunction): void {
  test("declared locals read as zero until set", (t) => {
    const wasm = wat(ZEROED_LOCALS);
    t.eq(differential(wasm, [0, 1, 2].map((n) => ({ name: "zero", args: [i32(n)] }))), []);
    const arms = [0, 1, 0, 1].flatMap((c) => [{ name: "scribble", args: [i32(0x5a5a5a5a)] }, { name: "arms", args: [i32(c)] }]);
    t.eq(differential(wasm, arms), []);
  }, { timeout: TIMEOUT });
  test("locals kept in registers survive calls, memory.grow and bulk operations", (t) => {
    const wasm = wat(REGISTER_LOCALS);
    const calls = [0, 1, 5, 6, 40, 200].map((n) => ({ name: "loop", args: [i32(n)] }));
    t.eq(differential(wasm, calls), []);
  }, { timeout: TIMEOUT });
  test("a global kept in a register: changed by callees, read across calls, written before a trap", (t) => {
    const wasm = wat(CACHED_GLOBALS);
    const calls: Call[] = [];
    for (const n of [0, 1, 2, 5, 9, 100]) {
      calls.push({ name: "set", args: [i32(n * 37)] });
      calls.push({ name: "across-call", args: [i32(n)] });
      calls.push({ name: "argument", args: [i32(n)] });
      calls.push({ name: "indirect", args: [i32(n & 1)] });
      calls.push({ name: "indirect", args: [i32(n + 2)] });
      calls.push({ name: "loop", args: [i32(n)] });
      calls.push({ name: "get", args: [] });
      calls.push({ name: "set-then-trap", args: [i32(n)] });
      calls.push({ name: "get", args: [] });
      calls.push({ name: "load-into", args: [i32(n === 100 ? 0x10000 : 0)] });
      calls.push({ name: "get", args: [] });
    }
    t.eq(differential(wasm, calls), []);
  }, { timeout: TIMEOUT });
  test("blocks, branches carrying values, dead code, select, globals and calls agree with V8", (t) => {
    const wasm = wat(CONTROL);
    const calls = controlCalls();
    t.eq(differential(wasm, calls).slice(0, 20), [], `${calls.length} calls`);
  }, { timeout: TIMEOUT });
  test("a trap is reported with the function index and wasm offset", (t) => {
    const wasm = wat(`(module
      (func $f (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
      (func (export "g") (param i32) (result i32) (call $f (local.get 0)))
      (func (export "h") (param i32) (result i32) (i32.load offset=70000 (local.get 0)))
      (memory 1))`);
    t.eq(expectOutcomes(wasm, [{ name: "g", args: [i32(0)] }, { name: "g", args: [i32(1)] }],
      [{ trap: "integer divide by zero" }, { values: [i32(1)] }]), []);
    // i32.const 1, local.get 0, i32.div_u: the division's byte in the binary.
    const division = findBytes(wasm, [0x41, 0x01, 0x20, 0x00, 0x6e]) + 4;
    const load = findBytes(wasm, [0x20, 0x00, 0x28]) + 2;
    for (const bounds of BOTH_MODES) {
      const divide = runLinux([wasm], new ScriptBuilder().instantiate(0, 0).invoke(0, "g", [i32(0)]).bytes(), { bounds, timeoutMs: 30_000 });
      t.eq(divide.stderr, `trap: integer divide by zero\n  at function 0, wasm offset 0x${division.toString(16)}\n`, `${bounds}: division`);
      const access = runLinux([wasm], new ScriptBuilder().instantiate(0, 0).invoke(0, "h", [i32(0)]).bytes(), { bounds, timeoutMs: 30_000 });
      t.eq(access.stderr, `trap: out of bounds memory access\n  at function 2, wasm offset 0x${load.toString(16)}\n`, `${bounds}: access`);
    }
  }, { timeout: TIMEOUT });
  test("f32 values pass through calls and slots unchanged", (t) => {
    const wasm = wat(`(module
      (func $pass (param f32 f32 f32) (result f32 f32 f32) (local.get 2) (local.get 1) (local.get 0))
      (func (export "f") (param f32 f32 f32) (result f32) (call $pass (local.get 0) (local.get 1) (local.get 2))
        (f32.sub) (f32.mul)))`);
    const calls: Call[] = [[1, 2, 3], [0.5, -0, 1e30], [NaN, 1, 2]].map((v) => ({ name: "f", args: v.map((x) => f32(x)) }));
    t.eq(differential(wasm, calls), []);
  }, { timeout: TIMEOUT });
}
