// The WebAssembly spec tests, run natively in both bounds modes: every
// assertion must pass (tests/spec/run.ts; exclusions in exclusions.ts).
// Also checks the harness itself: its judgement of values, NaNs and trap
// texts, and a whole spec file through the V8 backend.

import type { TestFunction } from "../harness";
import { judge } from "./check";
import { ExecutionCheck } from "./plan";
import { runSpec } from "./run";
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

  test("the harness passes a spec file in V8", async (t) => {
    const lines: string[] = [];
    const tally = await runSpec({ backend: "v8", filter: "conversions.wast", log: (line) => lines.push(line) });
    t.ok(tally.passed > 500, `conversions.wast ran ${tally.passed} checks`);
    t.ok(lines.some((line) => /^spec: conversions\.wast v8 (\d+)\/\1$/.test(line)), "every execution check passes in V8");
  }, { timeout: 60_000 });

  test("the spec tests pass natively in both bounds modes", async (t) => {
    const tally = await runSpec({ quiet: true });
    t.ok(tally.passed > 0, `${tally.passed} checks passed`);
    t.eq(tally.failed, 0, "spec failures (build/spec/failures.txt lists them)");
  }, { timeout: 900_000 });
}
