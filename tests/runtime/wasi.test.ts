// Tests of the runtime's host modules on Linux: a WASI command written in
// AssemblyScript (tests/runtime/assembly/wasi.ts, built to
// build/tests/runtime-wasi.wasm) linked once into a linux-x64 executable and
// run with different arguments: output, arguments, environment, files
// through the preopens, clocks, randomness, exit codes, env.abort and
// env.trace, traps, and an unsupported WASI function.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { linkLinux, temporaryDirectory, writeExecutable } from "../../sdk/host/linux";
import { buildDir } from "../../sdk/host/paths";
import { ScriptBuilder } from "../../sdk/host/script";

interface Run { status: number | null; stdout: string; stderr: string; }

export function register(test: TestFunction): void {
  let directory: { path: string; remove: () => void } | null = null;
  let program = "";

  /** Links the program once per test run, into a directory that also holds test files. */
  const setUp = () => {
    if (directory) return;
    directory = temporaryDirectory("delos-wasi-");
    // Removed when the test run ends (tests/index.ts exits through process.exit, which runs this).
    const made = directory;
    process.once("exit", () => made.remove());
    const wasm = new Uint8Array(readFileSync(join(buildDir, "tests", "runtime-wasi.wasm")));
    const script = new ScriptBuilder().instantiate(0, 0).start(0).bytes();
    program = join(directory.path, "wasi");
    writeExecutable(program, linkLinux([wasm], script));
    writeFileSync(join(directory.path, "input.txt"), "first line\nsecond line é\n");
  };

  const run = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Run => {
    setUp();
    const result = spawnSync(program, args, {
      cwd: directory!.path, env: options.env ?? { PATH: "/usr/bin:/bin" }, input: options.input ?? "",
      encoding: "utf8", timeout: 30_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  test("hello world on stdout", (t) => {
    const result = run(["hello"]);
    t.eq(result.stdout, "hello, world\n");
    t.eq(result.stderr, "");
    t.eq(result.status, 0);
  });

  test("arguments after argv[0]", (t) => {
    const result = run(["args", "one", "two words", "é"]);
    const lines = result.stdout.trimEnd().split("\n");
    t.eq(lines.length, 5, "five arguments");
    t.ok(lines[0].startsWith("0: ") && lines[0].endsWith("wasi"), `argv[0] is the program: ${lines[0]}`);
    t.eq(lines.slice(1), ["1: args", "2: one", "3: two words", "4: é"]);
  });

  test("environment variables", (t) => {
    t.eq(run(["env", "DELOS_TEST"], { env: { DELOS_TEST: "a=b c", OTHER: "x" } }).stdout, "a=b c\n");
    t.eq(run(["env", "DELOS_MISSING"], { env: { OTHER: "x" } }).stdout, "unset\n");
  });

  test("reading a file through path_open and fd_read", (t) => {
    t.eq(run(["cat", "input.txt"]).stdout, "first line\nsecond line é\n", "relative to the preopened .");
    t.eq(run(["cat", join(directory!.path, "input.txt")]).stdout, "first line\nsecond line é\n", "absolute, under the preopened /");
    t.eq(run(["cat", "missing.txt"]).stdout, "open failed: errno 44\n", "ENOENT is WASI's 44");
  });

  test("file status", (t) => {
    t.eq(run(["stat", "input.txt"]).stdout, "size 26 type 4\nfd size 26\nfd type 4\n");
    t.ok(/^size \d+ type 3\n/.test(run(["stat", "."]).stdout), "a directory is type 3");
  });

  test("writing, seeking and removing a file", (t) => {
    t.eq(run(["write", "scratch.txt", "some text"]).stdout,
      "end at 9\nsome text\nunlink errno 0\nopen failed: errno 44\nopen again: gone\n");
  });

  test("preopened directories", (t) => {
    t.eq(run(["preopens"]).stdout, "3 /\n4 .\n");
  });

  test("stdin", (t) => {
    t.eq(run(["stdin"], { input: "piped\ninput\n" }).stdout, "piped\ninput\n");
  });

  test("clocks and randomness", (t) => {
    t.eq(run(["clock"]).stdout, "monotonic ok\nrealtime ok\nresolution ok\nbad clock errno 28\n");
    t.eq(run(["random"]).stdout, "random errno 0 filled\n");
  });

  test("proc_exit ends the process with its code", (t) => {
    const result = run(["exit", "7"]);
    t.eq(result.status, 7);
    t.eq(result.stdout, "");
  });

  test("env.abort prints the AssemblyScript message and ends like a trap", (t) => {
    const result = run(["abort"]);
    t.ok(/^trap: abort: not enough arguments at tests\/runtime\/assembly\/wasi\.ts:\d+:\d+\n$/.test(result.stderr), result.stderr);
    t.eq(result.status, 3);
  });

  test("env.trace prints its message and values", (t) => {
    const result = run(["trace"]);
    t.eq(result.stderr, "trace: tracing 1.5, -2\n");
    t.eq(result.status, 0);
  });

  test("an out-of-bounds access is a trap with its location", (t) => {
    const result = run(["fault"]);
    t.ok(/^trap: out of bounds memory access\n  at function \d+, wasm offset 0x[0-9a-f]+\n$/.test(result.stderr), result.stderr);
    t.eq(result.status, 3);
  });

  test("WASI functions outside the subset return ENOSYS", (t) => {
    t.eq(run(["unsupported"]).stdout, "fd_readdir errno 52\n");
  });
}
