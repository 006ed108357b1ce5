// Tests of the compiler's decoder and validator (sdk/compiler/src/decode.ts,
// validate.ts, validate/): every module of the spec suite classified
// correctly, the shape of error messages, hostile inputs rejected quickly,
// and the compiler's own wasm accepted.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { convertSpec } from "../spec/convert";
import { validateWasm } from "../../sdk/host/compiler";
import { buildDir } from "../../sdk/host/paths";

/** How one spec file's modules were classified. */
export interface SpecTally {
  name: string;
  /** Modules that must validate: `module`, and those of assert_unlinkable/assert_uninstantiable. */
  valid: number;
  malformed: number;
  invalid: number;
  /** Text-format assert_malformed: out of scope for a binary decoder. */
  skipped: number;
  /** One line per misclassified module. */
  wrong: string[];
}

interface SpecCommand { type: string; line: number; filename?: string; module_type?: string; text?: string; }

/** Runs every spec module through the validator and compares with what the suite expects. */
export function classifySpec(log: (line: string) => void = () => {}): SpecTally[] {
  const tallies: SpecTally[] = [];
  for (const file of convertSpec(log)) {
    const tally: SpecTally = { name: file.name, valid: 0, malformed: 0, invalid: 0, skipped: 0, wrong: [] };
    const { commands } = JSON.parse(readFileSync(file.json, "utf8")) as { commands: SpecCommand[] };
    for (const command of commands) {
      if (!command.filename) continue;
      const where = `${file.name}.wast:${command.line} (${command.filename})`;
      const check = (mustValidate: boolean) => {
        const message = validateWasm(readFileSync(join(file.dir, command.filename!)));
        if (mustValidate && message !== null) tally.wrong.push(`${where}: valid module rejected: ${message}`);
        if (!mustValidate && message === null) tally.wrong.push(`${where}: accepted, expected "${command.text}"`);
      };
      switch (command.type) {
        case "module":
        case "assert_unlinkable":
        case "assert_uninstantiable":
          tally.valid++;
          check(true);
          break;
        case "assert_malformed":
        case "assert_invalid":
          if (command.module_type === "text") { tally.skipped++; break; }
          if (command.type === "assert_malformed") tally.malformed++; else tally.invalid++;
          check(false);
          break;
      }
    }
    tallies.push(tally);
  }
  return tallies;
}

// --- building small modules by hand ---

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function wasm(...sections: number[][]): Uint8Array {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}

const I32 = 0x7f, F64 = 0x7c;
const typeSection = (...types: Array<[number[], number[]]>) =>
  section(1, vector(types.map(([params, results]) => [0x60, ...vector(params.map((p) => [p])), ...vector(results.map((r) => [r]))])));
const functionSection = (...typeIndices: number[]) => section(3, vector(typeIndices.map((t) => uleb(t))));
/** A body: local declarations as [count, type] groups, then the code (which must end with 0x0b). */
const body = (locals: Array<[number, number]>, code: number[]) => {
  const content = [...vector(locals.map(([n, t]) => [...uleb(n), t])), ...code];
  return [...uleb(content.length), ...content];
};
const codeSection = (...bodies: number[][]) => section(10, vector(bodies));

/** The offset at which `needle` first occurs in `bytes`. */
function offsetOf(bytes: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return i;
  }
  throw new Error("needle not found");
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, performance.now() - started];
}

export function register(test: TestFunction): void {
  test("spec modules classified correctly", (t) => {
    const tallies = classifySpec((line) => console.log(`validator: ${line}`));
    const total = { valid: 0, malformed: 0, invalid: 0, skipped: 0, wrong: 0 };
    for (const tally of tallies) {
      console.log(`validator: ${tally.name}: ${tally.valid} valid, ${tally.malformed} malformed, ${tally.invalid} invalid, ` +
        `${tally.skipped} text skipped, ${tally.wrong.length} wrong`);
      for (const line of tally.wrong.slice(0, 10)) console.log(`validator:   ${line}`);
      total.valid += tally.valid; total.malformed += tally.malformed; total.invalid += tally.invalid;
      total.skipped += tally.skipped; total.wrong += tally.wrong.length;
    }
    console.log(`validator: total ${total.valid} valid, ${total.malformed} malformed (binary), ${total.invalid} invalid, ` +
      `${total.skipped} text-format malformed skipped, ${total.wrong} wrong`);
    t.ok(tallies.length > 50, `spec files found (${tallies.length})`);
    t.ok(total.valid > 800 && total.malformed > 600 && total.invalid > 1000, "every kind of module seen");
    t.eq(tallies.flatMap((tally) => tally.wrong).slice(0, 20), [], "no module misclassified");
  });

  test("error messages name the offset, the function and the rule", (t) => {
    // function 1 (after one import): i32.const 1; f64.const 0; i32.add
    const code = [0x41, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x6a, 0x0b];
    const mismatch = wasm(
      typeSection([[], [I32]]),
      section(2, vector([[0x01, 0x6d, 0x01, 0x66, 0x00, 0x00]])), // import "m" "f" (func (type 0))
      functionSection(0),
      codeSection(body([], code)),
    );
    const add = offsetOf(mismatch, code) + 11;
    t.eq(validateWasm(mismatch), `offset ${hex(add)}: function 1: type mismatch: i32.add expects i32, found f64`, "type mismatch");

    const counts = wasm(typeSection([[], []]), functionSection(0, 0, 0), codeSection(body([], [0x0b]), body([], [0x0b])));
    const codeStart = offsetOf(counts, [0x0a, 0x07, 0x02]) + 2;
    t.eq(validateWasm(counts), `offset ${hex(codeStart)}: section 10: function and code section have inconsistent lengths (3 vs 2)`, "count mismatch");

    const immutable = wasm(
      typeSection([[], []]), functionSection(0),
      section(6, vector([[I32, 0x00, 0x41, 0x00, 0x0b]])),
      codeSection(body([], [0x41, 0x05, 0x24, 0x00, 0x0b])),
    );
    const set = offsetOf(immutable, [0x41, 0x05, 0x24, 0x00]) + 2;
    t.eq(validateWasm(immutable), `offset ${hex(set)}: function 0: global is immutable: global.set of global 0`, "immutable global");

    const unknownLabel = wasm(typeSection([[], []]), functionSection(0), codeSection(body([], [0x02, 0x40, 0x0c, 0x02, 0x0b, 0x0b])));
    const br = offsetOf(unknownLabel, [0x0c, 0x02]);
    t.eq(validateWasm(unknownLabel), `offset ${hex(br)}: function 0: unknown label 2`, "unknown label");

    const leb = wasm(typeSection([[], []]), functionSection(0), codeSection(body([], [0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b])));
    const constant = offsetOf(leb, [0x41, 0x80]) + 1;
    t.eq(validateWasm(leb), `offset ${hex(constant)}: function 0: integer representation too long`, "LEB128 too long");

    t.eq(validateWasm(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), "offset 0x04: unknown binary version", "header");
  });

  test("hostile inputs are rejected quickly", (t) => {
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["a count of 2^32-1 types in 6 bytes", wasm([0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f]), /count 4294967295 exceeds the remaining bytes/],
      ["a section longer than the binary", wasm([0x01, 0xff, 0xff, 0x03, 0x01]), /exceeds the binary/],
      ["a truncated body", wasm(typeSection([[], []]), functionSection(0), [0x0a, 0x04, 0x01, 0x05, 0x00, 0x01]), /exceeds the section/],
      ["a body without end", wasm(typeSection([[], []]), functionSection(0), codeSection(body([], [0x01, 0x01]))), /END opcode expected/],
      ["50,001 locals", wasm(typeSection([[], []]), functionSection(0), codeSection(body([[50000, I32], [1, F64]], [0x0b]))), /too many locals/],
      ["2^32 locals", wasm(typeSection([[], []]), functionSection(0), codeSection(body([[0xffffffff, I32], [1, F64]], [0x0b]))), /too many locals/],
      ["200,000 nested blocks", wasm(typeSection([[], []]), functionSection(0),
        codeSection(body([], [...new Array(200000).fill([0x02, 0x40]).flat(), ...new Array(200001).fill(0x0b)]))), /control nesting too deep/],
      ["a br_table of 70,000 targets", wasm(typeSection([[], []]), functionSection(0),
        codeSection(body([], [0x41, 0x00, 0x0e, ...uleb(70000), ...new Array(70001).fill(0x00), 0x0b]))), /too many targets/],
      ["10,000 functions of 50,000 locals each", wasm(typeSection([[], []]), functionSection(...new Array(10000).fill(0)),
        codeSection(...new Array(10000).fill(body([[50000, I32]], [0x0b])))), /too many locals in the module/],
      ["1,000,001 functions", wasm(typeSection([[], []]), section(3, [...uleb(1000001), ...new Array(1000001).fill(0)])), /too many functions/],
    ];
    for (const [what, bytes, expected] of cases) {
      const [message, ms] = timed(() => validateWasm(bytes));
      t.ok(message !== null && expected.test(message), `${what}: rejected (${message})`);
      t.ok(ms < 2000, `${what}: in ${ms.toFixed(0)} ms`);
    }
    // Deep but legal nesting is fine.
    const deep = wasm(typeSection([[], []]), functionSection(0),
      codeSection(body([], [...new Array(50000).fill([0x02, 0x40]).flat(), ...new Array(50001).fill(0x0b)])));
    t.eq(validateWasm(deep), null, "50,000 nested blocks accepted");
  });

  test("mutated spec modules never crash the validator, and V8 accepts what it accepts", (t) => {
    const modules: Uint8Array[] = [];
    for (const file of convertSpec()) {
      const { commands } = JSON.parse(readFileSync(file.json, "utf8")) as { commands: SpecCommand[] };
      for (const command of commands) if (command.type === "module" && command.filename) modules.push(readFileSync(join(file.dir, command.filename)));
    }
    let seed = 12345;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const crashes: string[] = [];
    const disagreements: string[] = [];
    let accepted = 0;
    const mutants = 3000;
    for (let i = 0; i < mutants; i++) {
      const bytes = Array.from(modules[random(modules.length)]);
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = 8 + random(Math.max(1, bytes.length - 8));
        switch (random(5)) {
          case 0: case 1: bytes[at] = random(256); break;
          case 2: bytes[at] ^= 1 << random(8); break;
          case 3: bytes.splice(at, 1); break;
          case 4: bytes.splice(at, 0, random(256)); break;
        }
      }
      const input = new Uint8Array(bytes);
      let message: string | null;
      try { message = validateWasm(input); } catch (error) { crashes.push(`${error}`); continue; }
      if (message?.startsWith("compiler aborted")) { crashes.push(message); continue; }
      if (message === null) {
        accepted++;
        if (!WebAssembly.validate(input)) disagreements.push(Buffer.from(input).toString("hex"));
      }
    }
    console.log(`validator: ${mutants} mutants, ${accepted} accepted`);
    t.eq(crashes.slice(0, 5), [], "no crash or abort");
    t.eq(disagreements.slice(0, 5), [], "every accepted mutant is valid for V8 too");
  });

  test("the compiler's own wasm validates", (t) => {
    const path = join(buildDir, "compiler.wasm");
    t.ok(existsSync(path), "build/compiler.wasm exists");
    const bytes = readFileSync(path);
    const [message, ms] = timed(() => validateWasm(bytes));
    t.eq(message, null, `compiler.wasm (${bytes.length} bytes) validates`);
    const rounds = 20;
    const [, total] = timed(() => { for (let i = 0; i < rounds; i++) validateWasm(bytes); });
    console.log(`validator: compiler.wasm ${bytes.length} bytes: first run ${ms.toFixed(1)} ms, then ` +
      `${(bytes.length * rounds / 1e6 / (total / 1000)).toFixed(0)} MB/s (decode + validate, fresh instance per run)`);
  });
}
