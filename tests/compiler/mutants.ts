// `npm run mutants`: every check that keeps compiled code inside its memory,
// table and stack must be one a test would miss. Each mutant is a small
// source patch (a check removed, or moved by one) applied to a copy of the
// repository, never to the tree itself, so production code carries no
// mutation hooks. For each one the copy's compiler is rebuilt and the fast
// tests that should notice run in order until one fails; the table says
// which killed it, or SURVIVED. Exits non-zero when any mutant survives.
//
// Usage: npm run mutants [-- NAME...]   (only the mutants whose name contains one of the NAMEs)

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../../sdk/host/paths";

/** A fast test: a file filter for `npm test -- NAME`, or the spec tests of one file and one bounds mode. */
type Killer = { test: string } | { spec: string; bounds: "guard" | "explicit" };

interface Mutant {
  name: string;
  file: string;
  /** Text that occurs exactly once in the file. */
  find: string;
  replace: string;
  killers: Killer[];
}

const GENERATE = "sdk/compiler/src/generate";
const LINUX = "sdk/compiler/src/link/linux";

const memorySpec = (bounds: "guard" | "explicit"): Killer[] => [
  { spec: "memory_trap", bounds }, { spec: "address", bounds }, { test: "codegen-memory" }, { test: "linux" },
];
const bulkSpec: Killer[] = [
  { spec: "bulk-memory/bulk.wast", bounds: "explicit" }, { spec: "memory_copy", bounds: "explicit" },
  { spec: "memory_fill", bounds: "explicit" }, { spec: "memory_init", bounds: "explicit" }, { test: "codegen-memory" },
];
const tableSpec: Killer[] = [{ spec: "bulk-memory/bulk.wast", bounds: "guard" }, { test: "linux" }, { test: "codegen-memory" }];
const indirectSpec: Killer[] = [{ spec: "call_indirect", bounds: "guard" }, { test: "linux" }, { test: "codegen-control" }];

const mutants: Mutant[] = [
  // The stack check (generate/body.ts, generate/generator.ts).
  { name: "stack check removed", file: `${GENERATE}/body.ts`,
    find: "  g.emitStackCheck(SCRATCH, stackTrap);\n", replace: "", killers: [{ test: "linux" }] },
  { name: "stack check after rsp moves", file: `${GENERATE}/body.ts`,
    find: "  g.emitStackCheck(SCRATCH, stackTrap);\n  asm.aluImm(Alu.SUB, 8, Reg.RSP, FRAME_PLACEHOLDER);\n  framePatch.reserve = asm.offset - 4;\n",
    replace: "  asm.aluImm(Alu.SUB, 8, Reg.RSP, FRAME_PLACEHOLDER);\n  framePatch.reserve = asm.offset - 4;\n  g.emitStackCheck(Reg.RSP, stackTrap);\n",
    killers: [{ test: "linux" }] },
  { name: "stack check of the frame minus 256 bytes", file: `${GENERATE}/body.ts`,
    find: "  g.emitStackCheck(SCRATCH, stackTrap);\n",
    replace: "  asm.lea(8, Reg.RAX, mem(SCRATCH, 256));\n  g.emitStackCheck(Reg.RAX, stackTrap);\n", killers: [{ test: "linux" }] },
  { name: "stack check with jbe (a frame ending at the limit traps)", file: `${GENERATE}/generator.ts`,
    find: "this.asm.jccShort(Cond.B, trap);", replace: "this.asm.jccShort(Cond.BE, trap);",
    killers: [{ test: "linux" }] },

  { name: "stack check one byte lax", file: `${GENERATE}/body.ts`,
    find: "  g.emitStackCheck(SCRATCH, stackTrap);\n",
    replace: "  asm.lea(8, Reg.RAX, mem(SCRATCH, 1));\n  g.emitStackCheck(Reg.RAX, stackTrap);\n", killers: [{ test: "linux" }] },
  // invoke's refusal of slots below the limit (link/invoke.ts).
  { name: "invoke enters with slots below the limit", file: "sdk/compiler/src/link/invoke.ts",
    find: "  a.jcc(Cond.B, exhausted);\n", replace: "", killers: [{ test: "linux" }] },
  { name: "invoke slot check one byte strict", file: "sdk/compiler/src/link/invoke.ts",
    find: "  a.jcc(Cond.B, exhausted);\n", replace: "  a.jcc(Cond.BE, exhausted);\n", killers: [{ test: "linux" }] },

  // Explicit bounds checks of loads and stores (generate/memory.ts).
  { name: "explicit check removed (index in a register)", file: `${GENERATE}/memory.ts`,
    find: "    g.trapIf(Cond.G, TrapKind.MemoryOutOfBounds);\n", replace: "", killers: memorySpec("explicit") },
  { name: "explicit check one byte short (index in a register)", file: `${GENERATE}/memory.ts`,
    find: "subtractLarge(g, SCRATCH, <u64>offset + <u64>size);", replace: "subtractLarge(g, SCRATCH, <u64>offset + <u64>size - 1);",
    killers: memorySpec("explicit") },
  { name: "explicit check one byte strict (index in a register)", file: `${GENERATE}/memory.ts`,
    find: "    g.trapIf(Cond.G, TrapKind.MemoryOutOfBounds);\n", replace: "    g.trapIf(Cond.GE, TrapKind.MemoryOutOfBounds);\n",
    killers: memorySpec("explicit") },
  { name: "explicit check removed (constant index)", file: `${GENERATE}/memory.ts`,
    find: "      g.trapIf(Cond.B, TrapKind.MemoryOutOfBounds);\n", replace: "", killers: memorySpec("explicit") },
  { name: "explicit check one byte short (constant index)", file: `${GENERATE}/memory.ts`,
    find: "const end = effective + <u64>size;", replace: "const end = effective + <u64>size - 1;", killers: memorySpec("explicit") },
  { name: "explicit check one byte strict (constant index)", file: `${GENERATE}/memory.ts`,
    find: "const end = effective + <u64>size;", replace: "const end = effective + <u64>size + 1;", killers: memorySpec("explicit") },

  // Bulk memory and tables (generate/bulk.ts): every range check of every operation.
  { name: "bulk range check removed (all operations)", file: `${GENERATE}/bulk.ts`,
    find: "  g.trapIf(Cond.A, kind);\n", replace: "", killers: bulkSpec },
  { name: "bulk range check one short (all operations)", file: `${GENERATE}/bulk.ts`,
    find: "  g.trapIf(Cond.A, kind);\n", replace: "  g.asm.subImm(8, Reg.RDX, 1);\n  g.trapIf(Cond.A, kind);\n", killers: bulkSpec },
  { name: "bulk range check one strict (all operations)", file: `${GENERATE}/bulk.ts`,
    find: "  g.trapIf(Cond.A, kind);\n", replace: "  g.trapIf(Cond.AE, kind);\n", killers: bulkSpec },
  { name: "memory.copy source unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  loadMemoryLength(g, SCRATCH);\n  checkRange(g, Reg.RSI, SCRATCH, TrapKind.MemoryOutOfBounds);\n",
    replace: "  loadMemoryLength(g, SCRATCH);\n", killers: bulkSpec },
  { name: "memory.copy destination unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  checkRange(g, Reg.RSI, SCRATCH, TrapKind.MemoryOutOfBounds);\n  checkRange(g, Reg.RDI, SCRATCH, TrapKind.MemoryOutOfBounds);\n",
    replace: "  checkRange(g, Reg.RSI, SCRATCH, TrapKind.MemoryOutOfBounds);\n", killers: bulkSpec },
  { name: "memory.init segment range unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  segmentLength(g, passive ? data.dataLength : 0, g.layout.dataSegment(segment));\n  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.MemoryOutOfBounds);\n",
    replace: "  segmentLength(g, passive ? data.dataLength : 0, g.layout.dataSegment(segment));\n", killers: bulkSpec },
  { name: "memory.init destination unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.MemoryOutOfBounds);\n  loadMemoryLength(g, SCRATCH);\n  checkRange(g, Reg.RDI, SCRATCH, TrapKind.MemoryOutOfBounds);\n",
    replace: "  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.MemoryOutOfBounds);\n", killers: bulkSpec },
  { name: "small memory.fill one byte short", file: `${GENERATE}/bulk.ts`,
    find: "asm.lea(8, scratch, mem(destination, <i32>length));", replace: "asm.lea(8, scratch, mem(destination, <i32>length - 1));",
    killers: [...bulkSpec, { test: "linux" }] },
  { name: "table.copy source unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.TableOutOfBounds);\n  checkRange(g, Reg.RDI, Reg.RAX, TrapKind.TableOutOfBounds);\n",
    replace: "  checkRange(g, Reg.RDI, Reg.RAX, TrapKind.TableOutOfBounds);\n", killers: tableSpec },
  { name: "table.copy destination unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.TableOutOfBounds);\n  checkRange(g, Reg.RDI, Reg.RAX, TrapKind.TableOutOfBounds);\n",
    replace: "  checkRange(g, Reg.RSI, Reg.RAX, TrapKind.TableOutOfBounds);\n", killers: tableSpec },
  { name: "table.init destination unchecked", file: `${GENERATE}/bulk.ts`,
    find: "  asm.load(8, Reg.RAX, mem(SCRATCH, TABLE_LENGTH));\n  checkRange(g, Reg.RDI, Reg.RAX, TrapKind.TableOutOfBounds);\n  if (!passive)",
    replace: "  asm.load(8, Reg.RAX, mem(SCRATCH, TABLE_LENGTH));\n  if (!passive)", killers: tableSpec },

  // call_indirect (generate/call.ts).
  { name: "call_indirect index unchecked", file: `${GENERATE}/call.ts`,
    find: "  g.trapIf(Cond.AE, TrapKind.UndefinedElement);\n", replace: "", killers: indirectSpec },
  { name: "call_indirect index one past the end", file: `${GENERATE}/call.ts`,
    find: "g.trapIf(Cond.AE, TrapKind.UndefinedElement);", replace: "g.trapIf(Cond.A, TrapKind.UndefinedElement);", killers: indirectSpec },
  { name: "call_indirect null element unchecked", file: `${GENERATE}/call.ts`,
    find: "  g.trapIf(Cond.E, TrapKind.UninitializedElement);\n", replace: "", killers: indirectSpec },
  { name: "call_indirect signature unchecked", file: `${GENERATE}/call.ts`,
    find: "  g.trapIf(Cond.NE, TrapKind.SignatureMismatch);\n", replace: "", killers: indirectSpec },

  // memory.grow's limits (the linux runtime service, link/linux/services.ts).
  { name: "memory.grow past the maximum", file: `${LINUX}/services.ts`,
    find: "  a.cmpLoad(8, Reg.R9, mem(Reg.RDI, MEMORY_MAX_PAGES));\n  a.jcc(Cond.A, fail);\n",
    replace: "  a.cmpLoad(8, Reg.R9, mem(Reg.RDI, MEMORY_MAX_PAGES));\n", killers: [{ spec: "memory_grow", bounds: "explicit" }, { test: "linux" }] },
  { name: "memory.grow one page short of the maximum", file: `${LINUX}/services.ts`,
    find: "  a.cmpLoad(8, Reg.R9, mem(Reg.RDI, MEMORY_MAX_PAGES));\n  a.jcc(Cond.A, fail);\n",
    replace: "  a.cmpLoad(8, Reg.R9, mem(Reg.RDI, MEMORY_MAX_PAGES));\n  a.jcc(Cond.AE, fail);\n",
    killers: [{ spec: "memory_grow", bounds: "explicit" }, { test: "linux" }] },
  { name: "memory.grow past the reservation", file: `${LINUX}/services.ts`,
    find: "  a.cmpLoad(8, Reg.RAX, mem(Reg.RDI, MEMORY_RESERVED));\n  a.jcc(Cond.A, fail);\n",
    replace: "  a.cmpLoad(8, Reg.RAX, mem(Reg.RDI, MEMORY_RESERVED));\n", killers: [{ test: "linux" }] },
];

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20, timeout: 15 * 60_000 });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/**
 * The copy of the repository the mutants are applied to: sources and build
 * outputs, node_modules shared, and beside it `shared`, as the spec tests
 * are reached (../shared/wasm-spec). Returns [the copy, what to remove].
 */
function makeCopy(): [string, string] {
  const root = mkdtempSync(join(tmpdir(), "delos-mutants-"));
  const copy = join(root, "repo");
  for (const entry of ["sdk", "tests", "kernel", "ipc", "servers", "drivers", "desktop", "images", "build", "package.json"]) {
    cpSync(join(repoRoot, entry), join(copy, entry), { recursive: true, preserveTimestamps: true, errorOnExist: false, force: true });
  }
  symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
  const shared = resolve(repoRoot, "..", "shared");
  if (existsSync(shared)) symlinkSync(shared, join(root, "shared"));
  return [copy, root];
}

/**
 * The programs that hold the compiler's code and that the killers run: the
 * compiler itself (every linked executable is compiled and linked by it) and
 * the linux stubs' stand-in test program, which links with the same code.
 */
const PROGRAMS: Array<[string, string]> = [
  ["sdk/compiler/src/index.ts", "build/compiler.wasm"],
  ["tests/compiler/assembly/linux-stubs.ts", "build/tests/linux-stubs.wasm"],
];

/** Rebuilds the copy's programs (as sdk/build/build.mjs does); null, or the first errors. */
function buildCompiler(copy: string): string | null {
  for (const [entry, output] of PROGRAMS) {
    const result = run(join(copy, "node_modules", ".bin", "asc"),
      [entry, "-o", output, "-O3", "--runtime", "stub", "--exportStart", "_initialize"], copy);
    if (result.status !== 0) return result.output.split("\n").filter((line) => /ERROR/.test(line)).slice(0, 3).join(" ");
  }
  return null;
}

function describe(killer: Killer): string {
  return "test" in killer ? `npm test -- ${killer.test}` : `spec ${killer.spec} (${killer.bounds})`;
}

/** Runs one killer in the copy: the first failure it reports, or null when it passed. */
function runKiller(copy: string, killer: Killer): string | null {
  if ("test" in killer) {
    const result = run(process.execPath, [join(copy, "build", "host", "test.js"), killer.test], copy);
    if (result.status === 0) return null;
    const failure = result.output.split("\n").find((line) => line.startsWith("FAIL "));
    return failure ? failure.slice(5).replace(/ \([0-9.]+ s\)$/, "") : `exit status ${result.status}`;
  }
  const result = run(process.execPath, [join(copy, "build", "host", "delos.js"), "spec", killer.spec, "--bounds", killer.bounds], copy);
  const tally = /spec: (\d+) passed, (\d+) failed/.exec(result.output);
  if (result.status === 0 && tally && Number(tally[2]) === 0 && Number(tally[1]) > 0) return null;
  if (tally) return `${tally[2]} of ${Number(tally[1]) + Number(tally[2])} failed`;
  const lines = result.output.trim().split("\n");
  return `exit status ${result.status}: ${lines[lines.length - 1].slice(0, 100)}`;
}

const filters = process.argv.slice(2);
const selected = mutants.filter((mutant) => filters.length === 0 || filters.some((filter) => mutant.name.includes(filter)));
const [copy, copyRoot] = makeCopy();
const log = (line: string) => process.stdout.write(`${line}\n`);
let survived = 0;
try {
  log(`mutants: ${selected.length} mutants, applied one at a time to a copy in ${copy}`);
  // A killer that fails without any mutant would kill every mutant: each must pass first.
  const killers = new Map<string, Killer>();
  for (const mutant of selected) for (const killer of mutant.killers) killers.set(describe(killer), killer);
  for (const [name, killer] of killers) {
    const failure = runKiller(copy, killer);
    if (failure !== null) throw new Error(`${name} fails without any mutant: ${failure}`);
  }
  log(`mutants: the ${killers.size} tests pass on the unchanged copy`);
  const rows: string[] = [];
  for (const mutant of selected) {
    const path = join(copy, mutant.file);
    const original = readFileSync(join(repoRoot, mutant.file), "utf8");
    const at = original.indexOf(mutant.find);
    if (at < 0 || original.indexOf(mutant.find, at + 1) >= 0) {
      throw new Error(`mutant "${mutant.name}": its text must occur exactly once in ${mutant.file}`);
    }
    writeFileSync(path, original.slice(0, at) + mutant.replace + original.slice(at + mutant.find.length));
    let verdict = "SURVIVED";
    const buildError = buildCompiler(copy);
    if (buildError !== null) {
      verdict = `does not compile: ${buildError}`;
      survived++;
    } else {
      let killed = false;
      for (const killer of mutant.killers) {
        const failure = runKiller(copy, killer);
        if (failure === null) continue;
        verdict = `killed by ${describe(killer)}: ${failure}`;
        killed = true;
        break;
      }
      if (!killed) survived++;
    }
    writeFileSync(path, original);
    const row = `${mutant.name.padEnd(58)} ${verdict}`;
    rows.push(row);
    log(`mutants: ${row}`);
  }
  log("");
  log(`${"mutant".padEnd(58)} verdict`);
  for (const row of rows) log(row);
  log(`mutants: ${selected.length - survived} killed, ${survived} survived`);
} finally {
  rmSync(copyRoot, { recursive: true, force: true });
}
process.exitCode = survived === 0 && selected.length > 0 ? 0 : 1;
