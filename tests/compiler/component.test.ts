// Tests of the `delos` component format: the writer
// (sdk/compiler/src/link/component.ts), the validating reader and the
// loader's instantiation (sdk/loader), run in V8 through the test program
// tests/compiler/assembly/component.ts (built to build/tests/component.wasm).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";

interface ComponentTests {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  messagePtr(): number;
  messageLength(): number;
  testRoundTrip(): number;
  testCorruption(): number;
  testInstantiate(): number;
  testLinkErrors(): number;
  sampleComponent(): number;
  sampleLength(): number;
  inputAlloc(length: number): number;
  readInput(): number;
}

let compiled: WebAssembly.Module | null = null;

/** A fresh instance of the test program (its allocator never frees). */
function program(): ComponentTests {
  compiled ??= new WebAssembly.Module(readFileSync(join(buildDir, "tests", "component.wasm")));
  let exports: ComponentTests | null = null;
  const text = (ptr: number) => {
    if (!ptr || !exports) return "";
    const length = new Uint32Array(exports.memory.buffer)[(ptr - 4) >>> 2] >>> 1;
    return String.fromCharCode(...new Uint16Array(exports.memory.buffer, ptr, length));
  };
  const instance = new WebAssembly.Instance(compiled, {
    env: {
      abort(message: number, file: number, line: number, column: number) {
        throw new Error(`abort: ${text(message)} at ${text(file)}:${line}:${column}`);
      },
      trace() {},
      seed() { return 0; },
    },
  });
  exports = instance.exports as unknown as ComponentTests;
  exports._initialize?.();
  return exports;
}

function message(tests: ComponentTests): string {
  return new TextDecoder().decode(new Uint8Array(tests.memory.buffer, tests.messagePtr(), tests.messageLength()));
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function register(test: TestFunction): void {
  for (const name of ["testRoundTrip", "testCorruption", "testInstantiate", "testLinkErrors"] as const) {
    test(name.replace(/^test/, "").replace(/[A-Z]/g, (c, i) => (i ? " " : "") + c.toLowerCase()), (t) => {
      const tests = program();
      const status = tests[name]();
      t.eq(status === 0 ? "" : message(tests), "", name);
    });
  }

  test("header and sections are laid out as docs/delos-format.md says", (t) => {
    const tests = program();
    const bytes = new Uint8Array(tests.memory.buffer, tests.sampleComponent(), tests.sampleLength()).slice();
    const view = new DataView(bytes.buffer);
    t.eq(new TextDecoder().decode(bytes.subarray(0, 4)), "DLOS", "magic");
    t.eq(view.getUint32(4, true), 1, "version");
    t.eq(view.getUint32(8, true), 0, "flags of a guard-mode, unprivileged component");
    const ids: number[] = [];
    let at = 12;
    while (at < bytes.length) {
      ids.push(bytes[at]);
      at += 5 + view.getUint32(at + 1, true);
    }
    t.eq(at, bytes.length, "sections end exactly at the end");
    t.eq(ids, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], "sections 1..13 in order");
  });

  test("random corruption is rejected with a message, never a crash", (t) => {
    let tests = program();
    const sample = new Uint8Array(tests.memory.buffer, tests.sampleComponent(), tests.sampleLength()).slice();
    const next = random(0xde105);
    let rejected = 0;
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      if (round % 500 === 0) tests = program();
      const bytes = sample.slice();
      const changes = 1 + Math.floor(next() * 8);
      for (let k = 0; k < changes; k++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const ptr = tests.inputAlloc(bytes.length);
      new Uint8Array(tests.memory.buffer, ptr, bytes.length).set(bytes);
      if (tests.readInput()) accepted++;
      else {
        rejected++;
        const text = message(tests);
        if (!/^invalid component: .+ at byte \d+$/.test(text)) t.fail(`unexpected message ${JSON.stringify(text)}`);
      }
    }
    t.ok(rejected > 2000, `most corruptions rejected (${rejected} rejected, ${accepted} read)`);
  });
}
