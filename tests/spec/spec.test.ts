// The WebAssembly spec tests, run natively in both bounds modes: every
// assertion must pass (tests/spec/run.ts; exclusions in exclusions.ts).
// Also checks the harness itself: its judgement of values, NaNs and trap
// texts, and the whole suite through the V8 backend.

import type { TestFunction } from "../harness";
import { judge } from "./check";
import { ExecutionCheck } from "./plan";
import { runScriptNatively } from "./native-backend";
import { runSpec } from "./run";
import { functionBody, funcType, name, section, vector, WASM_HEADER } from "./wasm-encoder";
import { trapMatches } from "./traps";
import { fromJson } from "./values";

function check(kind: ExecutionCheck["kind"], fields: Partial<ExecutionCheck> = {}): ExecutionCheck {
  return { kind, line: 1, command: 0, ...fields };
}

export function register(test: TestFunction) {
  test("the harness judges values, NaN classes and trap texts as the spec defines them", (t) => {
    const f32 = (bits: number) => ({ kind: "values" as const, values: [{ type: "f32" as const, bits: BigInt(bits) }] });
    const canonical = check("assert_return", { expected: [fromJson({ type: "f32", value: "nan:canonical" })] });
    const arithmetic = check("assert_return", { expected: [fromJson({ type: "f32", value: "nan:arithmetic" })] });
    t.ok(judge(canonical, f32(0x7fc00000)).pass, "canonical NaN");
    t.ok(judge(canonical, f32(0xffc00000)).pass, "negative canonical NaN");
    t.notOk(judge(canonical, f32(0x7fc00001)).pass, "a payload is not canonical");
    t.ok(judge(arithmetic, f32(0x7fc00001)).pass, "arithmetic NaN with a payload");
    t.notOk(judge(arithmetic, f32(0x7fa00000)).pass, "a signalling NaN is not arithmetic");
    t.notOk(judge(arithmetic, f32(0x7f800000)).pass, "infinity is not a NaN");
    const exact = check("assert_return", { expected: [fromJson({ type: "f32", value: "2147483648" })] });
    t.ok(judge(exact, f32(0x80000000)).pass, "-0 bits");
    t.notOk(judge(exact, f32(0)).pass, "+0 is not -0");
    t.notOk(judge(check("assert_return", { expected: [] }), { kind: "trap", message: "unreachable" }).pass, "a trap is not a return");
    t.ok(trapMatches("out of bounds", "out of bounds table access"), "spec text as a prefix");
    t.ok(trapMatches("uninitialized element 2", "uninitialized element"), "spec text naming the element");
    t.notOk(trapMatches("uninitialized element", "undefined element"), "different kinds");
    t.notOk(trapMatches("integer overflow", "integer divide by zero"), "different kinds");
    t.ok(trapMatches("integer overflow", "invalid conversion to integer | integer overflow"), "alternatives");
    t.notOk(judge(check("assert_unlinkable"), { kind: "trap", message: "out of bounds memory access" }).pass, "a trap is not a link error");
  });

  test("the harness passes the whole suite in V8, but for the explained differences", async (t) => {
    const tally = await runSpec({ backend: "v8", quiet: true, log: () => {} });
    t.ok(tally.passed > 24000, `${tally.passed} checks passed in V8`);
    t.eq(tally.failed, 0, "unexplained failures in V8");
    t.eq(tally.explained, 24, "differences explained in tests/spec/v8-differences.ts");
  }, { timeout: 120_000 });

  test("a module that does not compile fails only the commands that need it, with the compiler's message", async (t) => {
    // (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
    const add = new Uint8Array([
      ...WASM_HEADER,
      ...section(1, vector([funcType(["i32", "i32"], ["i32"])])),
      ...section(3, vector([[0]])),
      ...section(7, vector([[...name("add"), 0x00, 0]])),
      ...section(10, vector([functionBody([], [0x20, 0, 0x20, 1, 0x6a, 0x0b])])),
    ]);
    // A function whose type index does not exist: rejected by the validator.
    const broken = new Uint8Array([...WASM_HEADER, ...section(3, vector([[0]]))]);
    const i32 = (value: number) => ({ type: "i32" as const, bits: BigInt(value) });
    const outcomes = await runScriptNatively({
      components: [add, broken],
      commands: [
        { op: "instantiate", component: 0, instance: 0 },
        { op: "invoke", instance: 0, name: "add", args: [i32(1), i32(2)] },
        { op: "instantiate", component: 1, instance: 1 },
        { op: "invoke", instance: 1, name: "f", args: [] },
        { op: "invoke", instance: 0, name: "add", args: [i32(3), i32(4)] },
      ],
    }, "guard", { componentNames: ["add.wasm", "broken.wasm"] });
    const describe = (i: number) => JSON.stringify(outcomes[i], (_k, v) => typeof v === "bigint" ? Number(v) : v);
    t.eq(describe(1), JSON.stringify({ kind: "values", values: [{ type: "i32", bits: 3 }] }), "the good module runs before");
    t.eq(describe(4), JSON.stringify({ kind: "values", values: [{ type: "i32", bits: 7 }] }), "and after");
    for (const i of [2, 3]) {
      const outcome = outcomes[i];
      t.ok(outcome.kind === "not-run" && outcome.message.startsWith("broken.wasm did not compile: ") && outcome.message.length > 30,
        `command ${i} is not run, with the compiler's message: ${describe(i)}`);
    }
  }, { timeout: 60_000 });

  test("the spec tests pass natively in both bounds modes", async (t) => {
    const tally = await runSpec({ quiet: true });
    t.ok(tally.passed > 0, `${tally.passed} checks passed`);
    t.eq(tally.failed, 0, "spec failures (build/spec/failures.txt lists them)");
  }, { timeout: 900_000 });
}
