// A test run for the harness test (harness.test.ts) to watch from outside:
// two tests that pass, and between them the deliberate misbehaviour that
// $DELOS_HARNESS_CASE names. It goes through the same runTestsAndExit as
// `npm test`, so what it shows holds for the real run.

import { runTestsAndExit, type TestFunction } from "../harness";

const misbehaviour = process.env.DELOS_HARNESS_CASE ?? "none";

function register(test: TestFunction): void {
  test("passes first", (t) => {
    t.eq([1, 2, 3].map((x) => x * 2), [2, 4, 6], "doubles");
  });
  // Each case leaves a repeating timer behind, as a test that failed half-way can.
  if (misbehaviour === "fails") {
    test("fails an assertion", (t) => {
      setInterval(() => {}, 1000);
      t.eq("actual", "expected", "a deliberately wrong expectation");
    });
  } else if (misbehaviour === "throws") {
    test("throws", () => {
      setInterval(() => {}, 1000);
      throw new Error("a deliberate failure");
    });
  } else if (misbehaviour === "hangs") {
    test("never ends", () => new Promise<void>(() => { setInterval(() => {}, 1000); }), { timeout: 1500 });
  } else if (misbehaviour === "leaves-a-timer") {
    test("passes and leaves a timer running", (t) => {
      setInterval(() => {}, 1000);
      t.eq("x".repeat(3), "xxx", "repeats");
    });
  }
  test("passes last", (t) => {
    t.eq(JSON.parse("{\"a\":[1]}"), { a: [1] }, "parses");
  });
}

await runTestsAndExit([{ name: "fixture", register }]);
