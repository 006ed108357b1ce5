// Checks the x86-64 assembler's encodings against golden bytes.
//
// tests/compiler/assembly/assembler-cases.ts emits several thousand cases and
// lists, for each, the Intel-syntax text objdump prints for the instruction
// meant. The golden file holds the bytes of every case. To regenerate it
// after a deliberate change, run with UPDATE_GOLDEN=1: every case is then
// disassembled with objdump (binutils) and must decode as exactly one
// instruction whose text is the one intended, before the file is written.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir, repoRoot } from "../../sdk/host/paths";

const goldenPath = join(repoRoot, "tests", "compiler", "assembler.golden");

interface Case { offset: number; length: number; text: string; }

interface CasesExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  ok(): number;
  codePtr(): number;
  codeLength(): number;
  listingPtr(): number;
  listingLength(): number;
}

function runCases(): { ok: boolean; code: Uint8Array; cases: Case[] } {
  const module = new WebAssembly.Module(readFileSync(join(buildDir, "tests", "assembler-cases.wasm")));
  const instance = new WebAssembly.Instance(module, {
    env: { abort() { throw new Error("assembler cases aborted"); }, trace() {}, seed() { return 0; } },
  });
  const exports = instance.exports as unknown as CasesExports;
  exports._initialize?.();
  const code = new Uint8Array(exports.memory.buffer, exports.codePtr(), exports.codeLength()).slice();
  const listing = new TextDecoder().decode(new Uint8Array(exports.memory.buffer, exports.listingPtr(), exports.listingLength()));
  const cases: Case[] = [];
  for (const line of listing.split("\n")) {
    if (!line) continue;
    const [offset, length, ...text] = line.split(" ");
    cases.push({ offset: Number(offset), length: Number(length), text: text.join(" ") });
  }
  cases.sort((a, b) => a.offset - b.offset);
  return { ok: exports.ok() !== 0, code, cases };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function normalise(text: string): string {
  return text.replace(/\s+#.*$/, "").replace(/\s+/g, " ").trim();
}

/** objdump's Intel-syntax text of each instruction, by offset. */
function disassemble(code: Uint8Array): Map<number, { text: string; length: number }> {
  const dir = mkdtempSync(join(tmpdir(), "delos-asm-"));
  try {
    const file = join(dir, "code.bin");
    writeFileSync(file, code);
    const output = execFileSync("objdump", ["-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", "-w", file],
      { encoding: "utf8", maxBuffer: 1 << 28 });
    const result = new Map<number, { text: string; length: number }>();
    for (const line of output.split("\n")) {
      const match = /^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t(.*)$/.exec(line);
      if (!match) continue;
      result.set(parseInt(match[1], 16), { text: normalise(match[3]), length: match[2].trim().split(" ").length });
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function regenerate(code: Uint8Array, cases: Case[]): string[] {
  const decoded = disassemble(code);
  const problems: string[] = [];
  const lines: string[] = [];
  for (const c of cases) {
    const bytes = hex(code.subarray(c.offset, c.offset + c.length));
    const found = decoded.get(c.offset);
    if (!found || found.length !== c.length || found.text !== normalise(c.text))
      problems.push(`${c.text}: ${bytes} decodes as ${found ? `${found.text} (${found.length} bytes)` : "nothing"}`);
    lines.push(`${bytes}\t${c.text}`);
  }
  if (problems.length === 0) writeFileSync(goldenPath, lines.join("\n") + "\n");
  return problems;
}

export function register(test: TestFunction): void {
  test("encodings match the golden bytes", (t) => {
    const { ok, code, cases } = runCases();
    t.ok(ok, "every label resolved");
    t.ok(cases.length > 5000, `${cases.length} cases`);
    if (process.env.UPDATE_GOLDEN) {
      const problems = regenerate(code, cases);
      if (problems.length) writeFileSync(join(buildDir, "tests", "assembler-problems.txt"), problems.join("\n") + "\n");
      t.eq(problems.slice(0, 40), [], "objdump decodes every case as intended");
      return;
    }
    t.ok(existsSync(goldenPath), "golden file exists");
    const golden = readFileSync(goldenPath, "utf8").split("\n").filter((l) => l);
    t.eq(cases.length, golden.length, "as many cases as golden lines");
    const mismatches: string[] = [];
    for (let i = 0; i < Math.min(cases.length, golden.length); i++) {
      const c = cases[i];
      const line = `${hex(code.subarray(c.offset, c.offset + c.length))}\t${c.text}`;
      if (line !== golden[i]) mismatches.push(`got ${line}, golden ${golden[i]}`);
    }
    t.eq(mismatches.slice(0, 20), [], "every case matches its golden line");
  });
}
