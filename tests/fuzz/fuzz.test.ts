// Differential fuzzing in npm test: a fixed-seed batch of Binaryen modules
// run in V8 and natively must agree on every export (tests/fuzz/run.ts).
// Also checks the fuzzer's own parts without the native path.

import type { TestFunction } from "../harness";
import { runScriptInV8 } from "../spec/v8-backend";
import type { Script } from "../spec/script";
import { agree } from "./compare";
import { diagnoseState } from "./diagnose";
import { addStateHash, STATE_HASH_EXPORT } from "./instrument";
import { runFuzz } from "./run";

export const FUZZ_TEST_SEED = 20240601;
export const FUZZ_TEST_MODULES = 40;

// (module (memory 1) (global (mut i32) (i32.const 0))
//   (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 1))))
const poke = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x08, 0x01, 0x04, 0x70, 0x6f,
  0x6b, 0x65, 0x00, 0x00, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x3a, 0x00, 0x00, 0x0b,
]);

export function register(test: TestFunction) {
  test("the state hash sees a one-byte change anywhere in memory", (t) => {
    const module = addStateHash(poke);
    const hashAfter = (address: number) => {
      const outcomes = runScriptInV8({
        components: [module],
        commands: [
          { op: "instantiate", component: 0, instance: 0 },
          { op: "invoke", instance: 0, name: "poke", args: address < 0 ? [] : [{ type: "i32", bits: BigInt(address) }] },
          { op: "invoke", instance: 0, name: STATE_HASH_EXPORT, args: [] },
        ],
      });
      return outcomes[2].kind === "values" ? outcomes[2].values[0].bits : -1n;
    };
    const first = hashAfter(0), last = hashAfter(65535), middle = hashAfter(40000);
    t.ok(first !== -1n && last !== -1n && middle !== -1n, "the instrumented module runs");
    t.ok(first !== last && last !== middle && first !== middle, "different bytes, different hashes");
  });

  test("a differing state is traced to its memory words", async (t) => {
    const module = addStateHash(poke);
    const script = {
      components: [module],
      commands: [
        { op: "instantiate" as const, component: 0, instance: 1 },
        { op: "invoke" as const, instance: 1, name: "poke", args: [{ type: "i32" as const, bits: 100n }] },
      ],
    };
    // The "native" side pokes another address: as if a store had been miscompiled.
    const skewed = async (replay: Script) => runScriptInV8({
      ...replay,
      commands: replay.commands.map((command, i) => i === 1 && command.op === "invoke" ? { ...command, args: [{ type: "i32", bits: 200n }] } : command),
    });
    const lines = await diagnoseState(script, script.commands, { reference: [], native: [] }, async (replay) => runScriptInV8(replay), skewed);
    t.eq(lines, [
      "memory differs in page 0 of 1",
      "  word at 0x60: V8 0x0000000100000000, native 0x0000000000000000",
      "  word at 0xc8: V8 0x0000000000000000, native 0x0000000000000001",
    ], "the page and both words");
  });

  test("outcomes agree only when bits and trap kinds do", (t) => {
    const f64 = (bits: bigint) => ({ kind: "values" as const, values: [{ type: "f64" as const, bits }] });
    t.ok(agree(f64(0x7ff8000000000000n), f64(0xfff8000000000001n)), "any two NaNs");
    t.notOk(agree(f64(0n), f64(0x8000000000000000n)), "+0 and -0");
    t.ok(agree({ kind: "trap", message: "uninitialized element | indirect call type mismatch" }, { kind: "trap", message: "indirect call type mismatch" }), "a V8 alternative");
    t.notOk(agree({ kind: "trap", message: "unreachable" }, { kind: "trap", message: "out of bounds memory access" }), "different traps");
    t.notOk(agree(f64(0n), { kind: "not-run", message: "did not compile" }), "not run");
  });

  test("the fuzzer's plumbing runs Binaryen modules in V8", async (t) => {
    const tally = await runFuzz({ count: 4, seed: FUZZ_TEST_SEED, backend: "v8", log: () => {} });
    t.eq(tally.modules, 4, "modules compared");
    t.ok(tally.exportsCompared > 0, `${tally.exportsCompared} exports compared`);
    t.eq(tally.disagreements, 0, "V8 agrees with itself");
  }, { timeout: 120_000 });

  test(`${FUZZ_TEST_MODULES} fuzz modules agree in V8 and natively`, async (t) => {
    const lines: string[] = [];
    const tally = await runFuzz({ count: FUZZ_TEST_MODULES, seed: FUZZ_TEST_SEED, log: (line) => { lines.push(line); process.stdout.write(`${line}\n`); } });
    t.ok(tally.exportsCompared > 0, `${tally.exportsCompared} exports compared`);
    t.eq(tally.disagreements, 0, "disagreements (build/fuzz/failures/ holds each module)");
  }, { timeout: 900_000 });
}
