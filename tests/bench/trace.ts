// Where the instructions of a message round trip go: `npm run trace`.
//
// Boots the test image under TCG with -icount shift=0 and one instruction
// per translation block, turns QEMU's execution log on (`log exec,nochain`
// through QMP) once the in-OS benchmarks reach the 16-byte round trips and
// off a moment later, then maps every logged pc to the wasm function it
// belongs to: the kernel's code (its address from the boot's `kernel code
// at` line), or a component's (the `code at` of its load line), with the
// function tables of the same wasm compiled here (the compiler is
// deterministic, so the offsets are the ones the image carries) and names
// from each wasm's name section. It prints the instructions of one round
// trip (the log's length over the number of round trips it holds, counted
// by the echo server's entry into msg.reply) by function, most first.
//
// A tool for reading, not a test: it asserts nothing.

import { mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { spawnSync } from "node:child_process";
import { buildRecipe, componentEntries, entryModule, readRecipe } from "../../sdk/host/recipe";
import { buildKernel } from "../../sdk/host/kernel";
import { compileComponent } from "../../sdk/host/linux";
import { installedCode } from "../../sdk/host/installed-code";
import { buildDir, repoRoot } from "../../sdk/host/paths";
import { Machine } from "../../sdk/qemu/index";
import { kernelFunctions } from "../boot/kernel-wasm";

interface CodeRange { start: bigint; end: bigint; owner: string; code: Uint8Array; functions: Array<{ offset: number; size: number; name: string }>; }

/** The code blob of a compiled component (section 12). */
function codeBlob(component: Uint8Array): Uint8Array {
  const view = new DataView(component.buffer, component.byteOffset, component.byteLength);
  let at = 12;
  while (at < component.length) {
    const size = view.getUint32(at + 1, true);
    if (component[at] === 12) return component.subarray(at + 5, at + 5 + size);
    at += 5 + size;
  }
  return new Uint8Array(0);
}

/** The defined functions of a compiled component (docs/delos-format.md): code offset, size, wasm index. */
function functionTable(component: Uint8Array): Array<{ offset: number; size: number; index: number }> {
  const view = new DataView(component.buffer, component.byteOffset, component.byteLength);
  let at = 12;
  let importedFunctions = 0;
  const table: Array<{ offset: number; size: number; index: number }> = [];
  while (at < component.length) {
    const id = component[at]!;
    const size = view.getUint32(at + 1, true);
    const body = at + 5;
    if (id === 2) {
      let p = body;
      const count = view.getUint32(p, true); p += 4;
      for (let i = 0; i < count; i++) {
        for (let s = 0; s < 2; s++) p += 4 + view.getUint32(p, true);
        const kind = component[p++]!;
        if (kind === 0) { importedFunctions++; p += 4; }
        else if (kind === 1) p += 1 + 9;
        else if (kind === 2) p += 9;
        else p += 2;
      }
    } else if (id === 3) {
      const count = view.getUint32(body, true);
      for (let i = 0; i < count; i++) {
        const entry = body + 4 + i * 12;
        table.push({ index: importedFunctions + i, offset: view.getUint32(entry + 4, true), size: view.getUint32(entry + 8, true) });
      }
      return table;
    }
    at = body + size;
  }
  return table;
}

function range(owner: string, start: bigint, wasm: Uint8Array, component: Uint8Array): CodeRange {
  const names = new Map(kernelFunctions(wasm).filter((f) => f.name !== "").map((f) => [f.index, f.name]));
  const functions = functionTable(component).map((f) => ({ offset: f.offset, size: f.size, name: names.get(f.index) ?? `function ${f.index}` }));
  functions.sort((a, b) => a.offset - b.offset);
  const last = functions[functions.length - 1];
  return { start, end: start + BigInt(last ? last.offset + last.size : 0), owner, code: codeBlob(component), functions };
}

/** The absolute address where the named function of `owner` starts. */
function entryOf(ranges: CodeRange[], owner: string, name: string): bigint | null {
  for (const r of ranges.filter((candidate) => candidate.owner === owner)) {
    const f = r.functions.find((candidate) => candidate.name.endsWith(name));
    if (f) return r.start + BigInt(f.offset);
  }
  return null;
}

function locate(ranges: CodeRange[], pc: bigint): string {
  for (const r of ranges) {
    if (pc < r.start || pc >= r.end) continue;
    const offset = Number(pc - r.start);
    let low = 0, high = r.functions.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (r.functions[middle]!.offset <= offset) low = middle; else high = middle - 1;
    }
    return `${r.owner}: ${r.functions[low]!.name}`;
  }
  return pc >= 0x10000000000n ? "component stubs or other code" : "kernel native stubs (image)";
}

/** `size` bytes of a PE image at relative virtual address `rva`, from the section that holds them (empty when none does). */
function peBytes(pe: Uint8Array, rva: number, size: number): Uint8Array {
  const view = new DataView(pe.buffer, pe.byteOffset, pe.byteLength);
  const header = view.getUint32(0x3c, true);
  const sections = view.getUint16(header + 6, true);
  const table = header + 24 + view.getUint16(header + 20, true);
  for (let i = 0; i < sections; i++) {
    const entry = table + 40 * i;
    const virtualSize = view.getUint32(entry + 8, true), virtualAddress = view.getUint32(entry + 12, true);
    if (rva < virtualAddress || rva + size > virtualAddress + virtualSize) continue;
    const raw = view.getUint32(entry + 20, true) + rva - virtualAddress;
    return pe.subarray(raw, raw + size);
  }
  return new Uint8Array(0);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Waits until COM1's output matches `pattern`, looking every 10 ms; throws after `timeoutMs`. */
async function serialMatches(machine: Machine, pattern: RegExp, timeoutMs: number): Promise<void> {
  for (const until = Date.now() + timeoutMs; !pattern.test(machine.serial); await sleep(10)) {
    if (Date.now() > until || !machine.isRunning) throw new Error(`trace: COM1 never matched ${pattern}`);
  }
}

/** TRACE_RESTART=NAME: the desktop bench image's second restart of NAME, traced (restartTrace). */
const restartName = process.env.TRACE_RESTART;

async function main(): Promise<void> {
  const reuse = process.env.TRACE_FROM;
  const recipeName = restartName ? "desktop-bench" : "test";
  const directory = reuse ?? mkdtempSync(join(tmpdir(), "delos-trace-"));
  const log = join(directory, "exec.log");
  let serial = "";
  if (reuse) {
    serial = readFileSync(join(directory, "serial.txt"), "utf8");
  } else {
    const image = join(directory, "test.img");
    const built = buildRecipe(readRecipe(recipeName));
    writeFileSync(image, built.image);
    writeFileSync(join(directory, "BOOTX64.EFI"), built.bootStub);
    const traceMs = Number(process.env.TRACE_MS ?? 400);
    console.log(`trace: booting the test image under TCG, one instruction per block, execution log in ${log}`);
    const machine = await Machine.start({ image, accel: "tcg", timeoutSeconds: 1800, extraArgs: ["-icount", "shift=0", "-singlestep", "-D", log] });
    try {
      if (restartName) {
        // The bench settles 1 s after each restart: the log goes on in the pause before the second round's
        // restart of NAME and off once its figure is out.
        // The bench's order in each round (tests/os/desktop-bench): keyboard, compositor, display, tablet.
        const order = ["keyboard", "compositor", "display", "tablet"];
        const before = order[(order.indexOf(restartName) + order.length - 1) % order.length];
        await serialMatches(machine, new RegExp(`desktop-bench: restart-${before} \\d+ \\d+`), 1_500_000);
        await machine.monitor("log exec,nochain");
        const figure = new RegExp(`desktop-bench: restart-${restartName} \\d+ \\d+[\\s\\S]*desktop-bench: restart-${restartName} \\d+ \\d+`);
        await serialMatches(machine, figure, 600_000);
        await machine.monitor("log none");
      } else {
        // The round trips start right after this line and take well under a second even single-stepped: log from now.
        await machine.waitFor("osbench: clock-overhead", 1_500_000);
        await machine.monitor("log exec,nochain");
        await sleep(traceMs);
        await machine.monitor("log none");
      }
      serial = machine.serial;
    } finally {
      await machine.quit();
    }
    writeFileSync(join(directory, "serial.txt"), serial);
    rmSync(image);
  }
  const kernelAt = /kernel code at (0x[0-9a-f]+)/.exec(serial);
  if (!kernelAt) throw new Error("trace: no `kernel code at` line on COM1");
  const kernel = buildKernel();
  const ranges: CodeRange[] = [range("kernel", BigInt(kernelAt[1]!), kernel.wasm, kernel.component)];
  // The image's components by payload file, each with the code the image runs: what it installs (the
  // optimizing tier's, or the baseline's for `@tier 1`), or the baseline's that Delos compiles at load.
  const recipe = readRecipe(recipeName);
  const built = new Map(componentEntries(recipe).map((entry) => [entry.name, entry]));
  for (const match of serial.matchAll(/load: ((?:[a-z]+\/)+([a-z0-9-]+)\.wasm): component \d+ \([^)]*\) running, .* code at (0x[0-9a-f]+)/g)) {
    const entry = built.get(match[1]!);
    if (!entry?.wasm || ranges.some((r) => r.owner === match[2])) continue;
    const wasm = new Uint8Array(readFileSync(join(repoRoot, entry.wasm)));
    const module = entryModule(recipe, entry, wasm);
    const code = entry.precompile ? installedCode(module, entry.tier ?? 2) : compileComponent(module, { tier: 1 });
    ranges.push(range(match[2]!, BigInt(match[3]!), wasm, code));
  }
  // The link's native fast paths (kernel/arch/x86_64/link/fast-path.ts), each one function of its own, their
  // bytes from BOOTX64.EFI (loaded at the image base the paging line names).
  const imageAt = /image (0x[0-9a-f]+)\+/.exec(serial);
  const efi = new Uint8Array(readFileSync(join(directory, "BOOTX64.EFI")));
  for (const match of serial.matchAll(/syscall: ([a-z_]+): native fast path at (0x[0-9a-f]+) \((\d+) bytes\)/g)) {
    const start = BigInt(match[2]!), size = Number(match[3]!);
    const code = imageAt ? peBytes(efi, Number(start - BigInt(imageAt[1]!)), size) : new Uint8Array(0);
    ranges.unshift({ start, end: start + BigInt(size), owner: "kernel native", code, functions: [{ offset: 0, size, name: `fast path ${match[1]}` }] });
  }
  console.log(`trace: ${statSync(log).size} bytes of log; code ranges: ${ranges.map((r) => `${r.owner} 0x${r.start.toString(16)}`).join(", ")}`);

  const counts = new Map<string, number>();
  const pcCounts = new Map<bigint, number>();
  const cache = new Map<bigint, string>();
  let total = 0;
  // A round trip is counted at each entry into the kernel's msg.send: its native fast path when the link has one.
  const sendEntry = entryOf(ranges, "kernel native", "fast path msg_send") ?? entryOf(ranges, "kernel", "delos_msg_send");
  let trips = 0;
  // A restart is counted from the bench's init.restart request to its figure line, once.
  const restartFrom = restartName ? entryOf(ranges, "desktop-bench", "desktop-bench/restart") : null;
  const restartTo = restartName ? entryOf(ranges, "desktop-bench", "desktop-bench/figure") : null;
  if (restartName && (restartFrom === null || restartTo === null)) throw new Error("trace: the desktop bench's initRestart or figure is not in its code");
  let restartState = 0;
  // TRACE_SEQUENCE: the functions of the second round trip in the order they ran.
  const sequence: Array<{ where: string; count: number }> = [];
  const lines = createInterface({ input: createReadStream(log) });
  for await (const line of lines) {
    const match = /^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+\/([0-9a-f]+)\//.exec(line);
    if (!match) continue;
    const pc = BigInt("0x" + match[1]);
    if (restartName) {
      if (restartState === 0 && pc === restartFrom) { restartState = 1; trips = 1; }
      else if (restartState === 1 && pc === restartTo) restartState = 2;
      if (restartState !== 1) continue;
    }
    let where = cache.get(pc);
    if (where === undefined) { where = locate(ranges, pc); cache.set(pc, where); }
    counts.set(where, (counts.get(where) ?? 0) + 1);
    pcCounts.set(pc, (pcCounts.get(pc) ?? 0) + 1);
    total++;
    if (pc === sendEntry && !restartName) trips++;
    if (process.env.TRACE_SEQUENCE && (trips === 2 || restartState === 1)) {
      const lastRun = sequence[sequence.length - 1];
      if (lastRun && lastRun.where === where) lastRun.count++; else sequence.push({ where, count: 1 });
    }
  }
  if (trips === 0) throw new Error("trace: no msg.send in the log: the window missed the round trips");
  console.log(`trace: ${total} instructions logged, ${trips} round trips (entries into msg.send): ${Math.round(total / trips)} per round trip`);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  for (const [where, count] of sorted.slice(0, Number(process.env.TRACE_TOP ?? 60))) {
    console.log(`${(count / trips).toFixed(1).padStart(9)}  ${where}`);
  }
  if (sequence.length > 0) console.log(sequence.map((run) => `${run.where.replace(/^kernel: |kernel\/|~lib\//g, "")} ${run.count}`).join("\n"));
  // TRACE_DUMP=NAME: the function's instructions with how often each ran per round trip (objdump).
  const dump = process.env.TRACE_DUMP;
  for (const r of dump ? ranges : []) {
    for (const f of r.functions.filter((candidate) => candidate.name.endsWith(dump!))) {
      const file = join(directory, "function.bin");
      writeFileSync(file, r.code.subarray(f.offset, f.offset + f.size));
      const start = r.start + BigInt(f.offset);
      const listing = spawnSync("objdump", ["-D", "-b", "binary", "-mi386:x86-64", "--adjust-vma=0x" + start.toString(16), file], { encoding: "utf8" }).stdout;
      console.log(`\n${r.owner}: ${f.name} at 0x${start.toString(16)}, ${f.size} bytes`);
      for (const line of listing.split("\n")) {
        const match = /^\s*([0-9a-f]+):/.exec(line);
        if (!match) continue;
        const count = pcCounts.get(BigInt("0x" + match[1])) ?? 0;
        console.log(`${(count / trips).toFixed(1).padStart(7)} ${line}`);
      }
    }
  }
  if (!process.env.TRACE_KEEP && !reuse) rmSync(directory, { recursive: true, force: true });
}

main().catch((error) => { console.error(error); process.exit(1); });
