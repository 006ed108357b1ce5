// Tests of the linux-x64 executable (docs/linux-runtime.md).
//
//  - The native half alone: tests/compiler/assembly/linux-stubs.ts links
//    hand-written stand-ins for the runtime, so _start, the services, the
//    fault handler and the ELF writer are checked without the generator.
//  - Whole programs: small modules made with wat2wasm, compiled and linked
//    with the real runtime, run natively: results, every trap kind in both
//    bounds modes, memory.grow, WASI output, arguments, exit codes.
//  - The `delos` CLI: compile, run, and its one-line errors (status 2).

import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { CompileError, validateWasm } from "../../sdk/host/compiler";
import { BoundsMode, linkLinux, runExecutable, runLinux, temporaryDirectory, writeExecutable } from "../../sdk/host/linux";
import { buildDir, repoRoot } from "../../sdk/host/paths";
import { f32, f64, i32, i64, ScriptBuilder, Value } from "../../sdk/host/script";

const TIMEOUT_MS = 30_000;

/** What a trap leaves on stderr: its message, then where it happened in wasm terms. */
function isTrapReport(stderr: string, message: string): boolean {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^trap: ${escaped}\n  at function \\d+, wasm offset 0x[0-9a-f]+\n$`).test(stderr);
}

const BOTH: BoundsMode[] = ["guard", "explicit"];

// ---- the native half, with stand-ins for the runtime -----------------------

interface StubsProgram {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  build(scenario: number, payloadLength: number): number;
  outputPtr(): number;
  messagePtr(): number;
  messageLength(): number;
}

const enum Scenario {
  Hello = 0, RuntimeTrap = 1, UnregisteredFault = 2, RegisteredFault = 3, MemoryGrow = 4, NestedInvoke = 5,
  RegisteredStackOverflow = 6, UnregisteredStackOverflow = 7, ArgumentCount = 8, ThreadBlock = 9, RuntimeAbort = 10,
  MemoryGrowPastReservation = 11,
}

let stubsModule: WebAssembly.Module | null = null;

function buildStandIn(scenario: Scenario, payloadLength = 0): Uint8Array {
  stubsModule ??= new WebAssembly.Module(readFileSync(join(buildDir, "tests", "linux-stubs.wasm")));
  const instance = new WebAssembly.Instance(stubsModule, {
    env: { abort() { throw new Error("linux-stubs aborted"); }, trace() {}, seed() { return 0; } },
  });
  const program = instance.exports as unknown as StubsProgram;
  program._initialize?.();
  const length = program.build(scenario, payloadLength);
  if (length < 0) throw new Error(new TextDecoder().decode(new Uint8Array(program.memory.buffer, program.messagePtr(), program.messageLength())));
  return new Uint8Array(program.memory.buffer, program.outputPtr(), length).slice();
}

function runStandIn(scenario: Scenario, options: { payloadLength?: number; args?: string[] } = {}) {
  const directory = temporaryDirectory();
  try {
    const path = join(directory.path, "stand-in");
    writeExecutable(path, buildStandIn(scenario, options.payloadLength));
    return runExecutable(path, { args: options.args, timeoutMs: TIMEOUT_MS });
  } finally {
    directory.remove();
  }
}

// ---- whole programs --------------------------------------------------------

function wat(text: string, options: { check?: boolean } = {}): Uint8Array {
  const directory = temporaryDirectory("delos-wat-");
  try {
    const source = join(directory.path, "module.wat");
    const output = join(directory.path, "module.wasm");
    writeFileSync(source, text);
    execFileSync("wat2wasm", [source, "-o", output, ...(options.check === false ? ["--no-check"] : [])], { stdio: ["ignore", "ignore", "pipe"] });
    return new Uint8Array(readFileSync(output));
  } finally {
    directory.remove();
  }
}

function invoke(module: Uint8Array, name: string, args: Value[] = [], bounds: BoundsMode = "guard") {
  return runLinux([module], new ScriptBuilder().instantiate(0, 0).invoke(0, name, args).bytes(), { bounds, timeoutMs: TIMEOUT_MS });
}

const results = wat(`(module
  (func (export "i32") (result i32) i32.const -42)
  (func (export "i64") (result i64) i64.const -7)
  (func (export "f32") (result f32) f32.const 1.5)
  (func (export "f64") (result f64) f64.const -0.25)
  (func (export "nan") (result f64) f64.const nan)
  (func (export "inf") (result f64) f64.const -inf)
  (func (export "multi") (result i32 i64 f64) i32.const 1 i64.const 2 f64.const 3.5)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "mix") (param i64 f32 f64) (result f64)
    local.get 0 f64.convert_i64_s local.get 1 f64.promote_f32 f64.add local.get 2 f64.add)
  (func (export "none")))`);

/** The most locals a function may declare (50,000 i64s, a 400 KB frame). */
const HUGE_LOCALS = `(local ${"i64 ".repeat(50_000)})`;

/** One module per trap kind: export "f" traps with the message. */
const trapPrograms: Array<{ message: string; text: string }> = [
  { message: "unreachable", text: `(module (func (export "f") unreachable))` },
  { message: "integer divide by zero", text: `(module (func (export "f") (result i32) i32.const 1 i32.const 0 i32.div_s))` },
  { message: "integer overflow", text: `(module (func (export "f") (result i32) i32.const 0x80000000 i32.const -1 i32.div_s))` },
  { message: "invalid conversion to integer", text: `(module (func (export "f") (result i32) f32.const nan i32.trunc_f32_s))` },
  { message: "out of bounds memory access", text: `(module (memory 1) (func (export "f") (result i32) i32.const 65535 i32.load))` },
  { message: "out of bounds memory access", text: `(module (memory 1) (func (export "f") (result i64) i32.const -1 i64.load offset=0xffffffff))` },
  { message: "undefined element", text: `(module (type $v (func)) (table 1 funcref) (func (export "f") i32.const 5 call_indirect (type $v)))` },
  { message: "uninitialized element", text: `(module (type $v (func)) (table 1 funcref) (func (export "f") i32.const 0 call_indirect (type $v)))` },
  { message: "indirect call type mismatch", text: `(module (type $v (func)) (table funcref (elem $g))
      (func $g (result i32) i32.const 1) (func (export "f") i32.const 0 call_indirect (type $v)))` },
  { message: "call stack exhausted", text: `(module (func $f (export "f") call $f))` },
  // Frames of 400 KB: the check must fail before rsp moves, or the trap path
  // writes far below the limit (the linux runtime's guard region below the
  // limit turns any such write into a failure, never a trap).
  { message: "call stack exhausted", text: `(module (func $f (export "f") ${HUGE_LOCALS} call $f))` },
  { message: "call stack exhausted", text: `(module (func $big ${HUGE_LOCALS} (local.set 49999 (i64.const 1)))
      (func $f (export "f") call $big call $f))` },
  { message: "out of bounds table access", text: `(module (table 1 funcref) (func (export "f") i32.const 0 i32.const 0 i32.const 2 table.copy))` },
];

/**
 * A runtime of its own that measures the stack check exactly: it moves
 * THREAD_STACK_LIMIT and calls a leaf (frame 8 bytes) through invoke, and
 * finds by bisection the highest limit at which invoke still enters (its
 * slots end at the limit) and the highest at which the leaf still runs (its
 * frame ends at the limit). The difference is what the leaf takes below
 * invoke's slots: return address, rbp, r14 and the frame, 32 bytes. Exits
 * with it (255 when not in 1..254).
 */
const stackProbe = `(module
  (import "delos:native" "thread_block" (func $threadBlock (result i64)))
  (import "delos:native" "load64" (func $load64 (param i64) (result i64)))
  (import "delos:native" "store64" (func $store64 (param i64 i64)))
  (import "delos:native" "memory_base" (func $memoryBase (result i64)))
  (import "delos:native" "invoke" (func $invoke (param i64 i64 i64 i32) (result i32)))
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $leaf)
  (func $leaf)
  ;; 1 when the call went as asked: entered (refusal 1) or ran (refusal 0), with the limit at $limit.
  (func $passes (param $code i64) (param $vmctx i64) (param $limit i64) (param $refusal i32) (result i32)
    (local $saved i64) (local $kind i32)
    (local.set $saved (call $load64 (call $threadBlock)))
    (call $store64 (call $threadBlock) (local.get $limit))
    (local.set $kind (call $invoke (local.get $code) (local.get $vmctx) (call $memoryBase) (i32.const 2)))
    (call $store64 (call $threadBlock) (local.get $saved))
    (if (result i32) (local.get $refusal)
      ;; invoke refuses with call stack exhausted at pc 0; the leaf's own trap has a pc.
      (then (i32.eqz (i32.and (i32.eq (local.get $kind) (i32.const 9))
        (i64.eqz (call $load64 (i64.add (call $threadBlock) (i64.const 24)))))))
      (else (i32.eqz (local.get $kind)))))
  ;; The highest limit at which the call passes.
  (func $highest (param $code i64) (param $vmctx i64) (param $refusal i32) (result i64)
    (local $low i64) (local $high i64) (local $middle i64)
    (local.set $low (call $load64 (call $threadBlock)))
    (local.set $high (i64.add (local.get $low) (i64.const 0x4000000)))
    (block $done (loop $next
      (br_if $done (i64.le_u (i64.sub (local.get $high) (local.get $low)) (i64.const 1)))
      (local.set $middle (i64.add (local.get $low) (i64.shr_u (i64.sub (local.get $high) (local.get $low)) (i64.const 1))))
      (if (call $passes (local.get $code) (local.get $vmctx) (local.get $middle) (local.get $refusal))
        (then (local.set $low (local.get $middle)))
        (else (local.set $high (local.get $middle))))
      (br $next)))
    (local.get $low))
  (func (export "main") (param i64 i64 i64 i64 i64 i64 i64) (param $vmctx i64) (result i32)
    (local $code i64) (local $difference i64)
    ;; The leaf's code: element 0 of the table (vmctx + 16 -> table -> elements; code at + 8).
    (local.set $code (call $load64 (i64.add (call $load64 (call $load64 (i64.add (local.get $vmctx) (i64.const 16)))) (i64.const 8))))
    (local.set $difference (i64.sub
      (call $highest (local.get $code) (local.get $vmctx) (i32.const 1))
      (call $highest (local.get $code) (local.get $vmctx) (i32.const 0))))
    (if (result i32) (i32.and (i64.gt_s (local.get $difference) (i64.const 0)) (i64.lt_s (local.get $difference) (i64.const 255)))
      (then (i32.wrap_i64 (local.get $difference)))
      (else (i32.const 255)))))`;

const growth = wat(`(module (memory 1 3)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "size") (result i32) memory.size)
  (func (export "poke") (param i32 i32) (result i32) local.get 0 local.get 1 i32.store local.get 0 i32.load))`);

const hello = wat(`(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, world\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`);

/** Prints each argument after argv[0] on its own line, then exits with status 7. */
const echo = wat(`(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "\\n")
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 8) (local.get $ptr))
    (i32.store (i32.const 12) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16))))
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))
  (func (export "_start") (local $i i32) (local $p i32)
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $args (i32.const 64) (i32.const 1024)))
    (local.set $i (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 0))))
      (local.set $p (i32.load (i32.add (i32.const 64) (i32.shl (local.get $i) (i32.const 2)))))
      (call $write (local.get $p) (call $strlen (local.get $p)))
      (call $write (i32.const 32) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (call $exit (i32.const 7))))`);

/** No _start: the start function runs at instantiation and prints. */
const starter = wat(`(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory 1)
  (data (i32.const 16) "started\\n")
  (func $start
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (start $start))`);

const invalid = wat(`(module (func (export "f") (result i32) i64.const 1))`, { check: false });

// ---- the CLI ---------------------------------------------------------------

function delos(args: string[]) {
  const result = spawnSync(process.execPath, [join(buildDir, "host", "delos.js"), ...args], {
    encoding: "utf8", timeout: TIMEOUT_MS, cwd: repoRoot,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function register(test: TestFunction) {
  test("native stubs: _start, data segments, main's arguments, exit status", (t) => {
    const run = runStandIn(Scenario.Hello, { payloadLength: 42 });
    t.eq(run.stdout, "hello\n", "the data segment was copied into the runtime's memory");
    t.eq(run.status, 42, "main's result (here the payload length it was given) is the exit status");
    t.eq(runStandIn(Scenario.ArgumentCount, { args: ["a", "b", "c"] }).status, 4, "argc through the initial stack");
    t.eq(runStandIn(Scenario.ThreadBlock).status, 1, "fs:[THREAD_SELF] is the thread block; the stack limit is below rsp");
  });

  test("native stubs: traps, faults and memory.grow", (t) => {
    const trap = runStandIn(Scenario.RuntimeTrap);
    t.eq([trap.status, trap.stderr], [70, "fatal: runtime trap: unreachable at pc 0x1234\n"], "a trap in the runtime is fatal");
    const fault = runStandIn(Scenario.UnregisteredFault);
    t.eq(fault.status, 70, "a fault outside wasm code exits 70");
    t.ok(/^fatal: SIGSEGV at pc 0x[0-9a-f]+\n$/.test(fault.stderr), `reported: ${fault.stderr.trim()}`);
    const registered = runStandIn(Scenario.RegisteredFault);
    t.ok(/^fatal: runtime trap: out of bounds memory access at pc 0x[0-9a-f]+\n$/.test(registered.stderr),
      `a fault in registered code becomes a trap: ${registered.stderr.trim()}`);
    t.eq(runStandIn(Scenario.MemoryGrow).status, 111, "grow(2) returns 1, grow past the maximum -1, the new pages are usable");
    t.eq(runStandIn(Scenario.MemoryGrowPastReservation).status, 1, "grow within the maximum but past the reservation returns -1");
    t.eq(runStandIn(Scenario.NestedInvoke).status, 103, "a trap returns its kind from the inner invoke only");
    const overflow = runStandIn(Scenario.RegisteredStackOverflow);
    t.ok(/^fatal: stack write below the limit at pc 0x[0-9a-f]+\n$/.test(overflow.stderr),
      `wasm code writing into the guard region below the stack limit is a failure, not a trap: ${overflow.stderr.trim()}`);
    const abort = runStandIn(Scenario.RuntimeAbort);
    t.eq([abort.status, abort.stderr], [70, "fatal: runtime abort: boom at x.ts:12:34\n"], "the runtime's env.abort");
    const runaway = runStandIn(Scenario.UnregisteredStackOverflow);
    t.eq(runaway.timedOut, false, "a stack overflow outside wasm code does not hang");
    t.ok(/^fatal: stack write below the limit at pc 0x[0-9a-f]+\n$/.test(runaway.stderr), `reported: ${runaway.stderr.trim()}`);
  });

  test("native stubs: ELF output is deterministic", (t) => {
    const first = buildStandIn(Scenario.Hello, 100);
    const second = buildStandIn(Scenario.Hello, 100);
    t.ok(Buffer.from(first).equals(Buffer.from(second)), "same input, same bytes");
    t.eq(Array.from(first.subarray(0, 4)), [0x7f, 0x45, 0x4c, 0x46], "ELF magic");
  });

  test("results print as TYPE:VALUE", (t) => {
    const script = new ScriptBuilder().instantiate(0, 0);
    for (const name of ["i32", "i64", "f32", "f64", "nan", "inf", "multi", "none"]) script.invoke(0, name);
    script.invoke(0, "add", [i32(2), i32(40)]);
    script.invoke(0, "add", [i32(0xffffffff), i32(-1)]);
    script.invoke(0, "mix", [i64(-3), f32(0.5), f64(0.25)]);
    for (const bounds of BOTH) {
      const run = runLinux([results], script.bytes(), { bounds, timeoutMs: TIMEOUT_MS });
      t.eq(run.stderr, "", `${bounds}: nothing on stderr`);
      t.eq(run.stdout.split("\n"), [
        "i32:-42", "i64:-7", "f32:1.5", "f64:-0.25", "f64:nan", "f64:-inf", "i32:1", "i64:2", "f64:3.5",
        "i32:42", "i32:-2", "f64:-2.25", "",
      ], `${bounds}: one line per result`);
      t.eq(run.status, 0, `${bounds}: exit status 0`);
    }
  });

  test("every trap kind, in both bounds modes", (t) => {
    for (const program of trapPrograms) {
      const module = wat(program.text);
      for (const bounds of BOTH) {
        const run = invoke(module, "f", [], bounds);
        t.ok(isTrapReport(run.stderr, program.message), `${bounds}: ${program.text.slice(0, 60)}…: ${JSON.stringify(run.stderr)}`);
        t.eq(run.status, 3, `${bounds}: exit status 3`);
      }
    }
  });

  test("the stack check is exact: a frame ending at the limit runs, one byte lower traps", (t) => {
    const run = runLinux([], new ScriptBuilder().bytes(), { runtime: wat(stackProbe), timeoutMs: TIMEOUT_MS });
    t.eq([run.status, run.stderr], [32, ""], "the leaf's 32 bytes below invoke's slots, measured at the limit");
  });

  test("a 400 KB frame runs when the stack has room", (t) => {
    const module = wat(`(module (func (export "f") (result i64) ${HUGE_LOCALS}
      (local.set 49999 (i64.const 5)) (i64.add (local.get 0) (local.get 49999))))`);
    for (const bounds of BOTH) {
      const run = invoke(module, "f", [], bounds);
      t.eq([run.stdout, run.stderr, run.status], ["i64:5\n", "", 0], `${bounds}: zeroed locals, one set`);
    }
  });

  test("memory.grow: within the maximum, beyond it, and the new pages", (t) => {
    for (const bounds of BOTH) {
      const script = new ScriptBuilder().instantiate(0, 0)
        .invoke(0, "grow", [i32(1)]).invoke(0, "size").invoke(0, "poke", [i32(131068), i32(9)])
        .invoke(0, "grow", [i32(2)]).invoke(0, "grow", [i32(0)]).invoke(0, "grow", [i32(1)]).invoke(0, "size")
        .invoke(0, "poke", [i32(196608), i32(1)]);
      const run = runLinux([growth], script.bytes(), { bounds, timeoutMs: TIMEOUT_MS });
      t.eq(run.stdout, "i32:1\ni32:2\ni32:9\ni32:-1\ni32:2\ni32:2\ni32:3\n", `${bounds}: grow results`);
      t.ok(isTrapReport(run.stderr, "out of bounds memory access"), `${bounds}: past the grown memory traps: ${JSON.stringify(run.stderr)}`);
      t.eq(run.status, 3, `${bounds}: exit status 3`);
    }
  });

  test("WASI: hello world, arguments, proc_exit, start functions", (t) => {
    const start = new ScriptBuilder().instantiate(0, 0).start(0).bytes();
    const run = runLinux([hello], start, { timeoutMs: TIMEOUT_MS });
    t.eq([run.stdout, run.stderr, run.status], ["hello, world\n", "", 0], "fd_write to stdout");
    const args = runLinux([echo], start, { timeoutMs: TIMEOUT_MS, args: ["one", "two words", ""] });
    t.eq([args.stdout, args.status], ["one\ntwo words\n\n", 7], "args_get sees the program arguments; proc_exit sets the status");
    const started = runLinux([starter], new ScriptBuilder().instantiate(0, 0).bytes(), { timeoutMs: TIMEOUT_MS });
    t.eq([started.stdout, started.status], ["started\n", 0], "the start function runs at instantiation");
  });

  test("an invalid module is rejected with the validator's message", (t) => {
    const expected = validateWasm(invalid);
    t.ok(expected !== null, `the validator rejects it: ${expected}`);
    try {
      linkLinux([invalid], new ScriptBuilder().instantiate(0, 0).bytes());
      t.fail("linked an invalid module");
    } catch (error) {
      t.ok(error instanceof CompileError, "a CompileError");
      t.eq((error as Error).message, `module 0: ${expected}`, "naming the module");
    }
  });

  test("the executable is deterministic", (t) => {
    const script = new ScriptBuilder().instantiate(0, 0).start(0).bytes();
    for (const bounds of BOTH) {
      const first = linkLinux([hello, results], script, { bounds });
      const second = linkLinux([hello, results], script, { bounds });
      t.ok(Buffer.from(first).equals(Buffer.from(second)), `${bounds}: byte-identical`);
    }
  });

  test("delos run and delos compile", (t) => {
    const directory = temporaryDirectory();
    try {
      const file = (name: string, bytes: Uint8Array) => { const path = join(directory.path, name); writeFileSync(path, bytes); return path; };
      const resultsPath = file("results.wasm", results);
      const helloPath = file("hello.wasm", hello);
      const echoPath = file("echo.wasm", echo);
      const trapPath = file("trap.wasm", wat(trapPrograms[0].text));
      const invalidPath = file("invalid.wasm", invalid);
      const nativePath = file("native.wasm", wat(`(module (import "delos:native" "syscall"
        (func (param i64 i64 i64 i64 i64 i64 i64) (result i64))) (func (export "f")))`));
      const unlinkablePath = file("unlinkable.wasm", wat(`(module (import "env" "nothing" (func)) (func (export "f")))`));

      t.eq(delos(["run", resultsPath, "--invoke", "add", "2", "0x28"]), { status: 0, stdout: "i32:42\n", stderr: "" }, "--invoke with arguments");
      t.eq(delos(["run", resultsPath, "--bounds", "explicit", "--invoke", "mix", "-1", "2.5", "inf"]).stdout, "f64:inf\n", "i64, f32 and f64 arguments");
      t.eq(delos(["run", helloPath]).stdout, "hello, world\n", "_start of a WASI command");
      t.eq(delos(["run", echoPath, "--", "x", "--y"]), { status: 7, stdout: "x\n--y\n", stderr: "" }, "program arguments after --");
      t.eq(delos(["run", unlinkablePath]), { status: 4, stdout: "", stderr: "link error: unknown import env.nothing\n" }, "a link error");
      const trapped = delos(["run", trapPath, "--invoke", "f"]);
      t.eq(trapped.status, 3, "a trap exits 3");
      t.ok(isTrapReport(trapped.stderr, "unreachable"), `and reports: ${JSON.stringify(trapped.stderr)}`);

      const errors: Array<[string[], RegExp]> = [
        [["run", join(directory.path, "missing.wasm")], /^delos: no such file: .*missing\.wasm\n$/],
        [["run", invalidPath], /^delos: .*invalid\.wasm: invalid module: .+\n$/],
        [["run", resultsPath, "--invoke", "nothing"], /^delos: .* exports no function named "nothing"\n$/],
        [["run", resultsPath, "--invoke", "add", "1"], /^delos: add\(i32, i32\) takes 2 arguments, 1 given\n$/],
        [["run", resultsPath, "--invoke", "add", "1", "x"], /^delos: argument 2 of add\(i32, i32\) must be a 32-bit integer, not "x"\n$/],
        [["run", resultsPath, "--invoke", "add", "1", "5000000000"], /^delos: argument 2 of add\(i32, i32\) is out of range for i32: 5000000000\n$/],
        [["run", resultsPath, "--bounds", "maybe"], /^delos: --bounds must be guard or explicit/],
        [["run", nativePath], /^delos: .*native\.wasm: imports delos:native\.syscall, which only privileged components may\n$/],
        [["compile", resultsPath], /^delos: no output given/],
        [["frobnicate"], /^delos: unknown command "frobnicate"/],
      ];
      for (const [args, pattern] of errors) {
        const result = delos(args);
        t.eq(result.status, 2, `${args.slice(0, 4).join(" ")}: status 2`);
        t.ok(pattern.test(result.stderr), `one clear line: ${result.stderr.trim()}`);
      }
      const invalidMessage = delos(["run", invalidPath]).stderr;
      t.ok(invalidMessage.includes(validateWasm(invalid)!), "the validator's message is shown");

      const executable = join(directory.path, "hello");
      t.eq(delos(["compile", helloPath, "-o", executable]).status, 0, "compile for linux-x64");
      const compiled = runExecutable(executable, { timeoutMs: TIMEOUT_MS });
      t.eq([compiled.stdout, compiled.status], ["hello, world\n", 0], "the compiled executable runs on its own");
      const component = join(directory.path, "hello.delos");
      t.eq(delos(["compile", helloPath, "-o", component, "--target", "delos"]).status, 0, "compile for delos");
      t.eq(readFileSync(component).subarray(0, 4).toString("latin1"), "DLOS", "a delos component");
      t.eq(delos(["compile", nativePath, "-o", component, "--target", "delos"]).status, 2, "delos:native needs --privileged");
      t.eq(delos(["compile", nativePath, "-o", component, "--target", "delos", "--privileged"]).status, 0, "a privileged component");

      const help = delos(["help"]);
      t.eq(help.status, 0, "help succeeds");
      t.ok(/^\s+compile\s/m.test(help.stdout) && /^\s+run\s/m.test(help.stdout), "help lists compile and run");
    } finally {
      directory.remove();
    }
  });
}
