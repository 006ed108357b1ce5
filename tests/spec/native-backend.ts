// Runs a Script natively: links one linux-x64 executable holding the runtime,
// every component and the script in spec-output mode (sdk/host/linux.ts),
// runs it as a child process and reads back one outcome per command.
//
// A module that does not compile is left out of the executable; every
// command that needs it comes back not-run with the compiler's message, so
// each assertion depending on it fails with that message while the rest of
// the file still runs.

import { spawn } from "node:child_process";
import { join } from "node:path";
import { CompileError } from "../../sdk/host/compiler";
import { compileComponent, linkLinux, temporaryDirectory, writeExecutable, type BoundsMode, type Tier } from "../../sdk/host/linux";
import { ScriptBuilder } from "../../sdk/host/script";
import { Outcome, outcomesOfSpecOutput, Script } from "./script";

export interface NativeRunOptions {
  /** Kill the executable after this long (default 120 s). */
  timeoutMs?: number;
  /** Extra components' compile messages are prefixed with these names (default "module N"). */
  componentNames?: string[];
  /** Compiler tier of the modules (default: DELOS_TIER, else the baseline). */
  tier?: Tier;
}

export interface ProcessResult { status: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean; }

/** Runs a program without blocking the event loop, so that several run at once. */
export function spawnAsync(path: string, args: string[], timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"), timedOut });
    });
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Which components fail to compile on their own, with the compiler's message. */
function compileFailures(script: Script, bounds: BoundsMode, names: string[], tier?: Tier): Map<number, string> {
  const failures = new Map<number, string>();
  script.components.forEach((bytes, index) => {
    try {
      compileComponent(bytes, { bounds, tier });
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      failures.set(index, `${names[index] ?? `module ${index}`} did not compile: ${error.message}`);
    }
  });
  return failures;
}

interface Payload {
  modules: Uint8Array[];
  script: Uint8Array;
  /** Indices of the script's commands that are in the encoded script, in order. */
  kept: number[];
}

/** The payload without the failed components and without every command that needs one. */
function payloadWithout(script: Script, failures: Map<number, string>, componentOfInstance: Map<number, number>): Payload {
  const builder = new ScriptBuilder({ spec: true });
  const modules: Uint8Array[] = [];
  const payloadIndex = new Map<number, number>();
  script.components.forEach((bytes, index) => {
    if (!failures.has(index)) payloadIndex.set(index, modules.push(bytes) - 1);
  });
  const kept: number[] = [];
  for (const [index, command] of script.commands.entries()) {
    const component = componentOfInstance.get(command.instance);
    if (component === undefined || failures.has(component)) continue;
    kept.push(index);
    switch (command.op) {
      case "instantiate": builder.instantiate(payloadIndex.get(command.component)!, command.instance); break;
      case "register": builder.register(command.instance, command.name); break;
      case "invoke": builder.invoke(command.instance, command.name, command.args, command.repeat ?? 1); break;
      case "get": builder.get(command.instance, command.name); break;
      case "start": builder.start(command.instance); break;
    }
  }
  return { modules, script: builder.bytes(), kept };
}

/** Links and runs the script natively in the given bounds mode: one outcome per command. */
export async function runScriptNatively(script: Script, bounds: BoundsMode, options: NativeRunOptions = {}): Promise<Outcome[]> {
  const names = options.componentNames ?? [];
  const everything = (text: string): Outcome[] => script.commands.map(() => ({ kind: "not-run", message: text }));
  const componentOfInstance = new Map<number, number>();
  for (const command of script.commands) if (command.op === "instantiate") componentOfInstance.set(command.instance, command.component);

  // Link everything; only when that fails, find out which modules are to blame.
  let failures = new Map<number, string>();
  let payload = payloadWithout(script, failures, componentOfInstance);
  let executable: Uint8Array;
  try {
    try {
      executable = linkLinux(payload.modules, payload.script, { bounds, tier: options.tier });
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      failures = compileFailures(script, bounds, names, options.tier);
      if (failures.size === 0) return everything(`linking failed: ${error.message}`);
      payload = payloadWithout(script, failures, componentOfInstance);
      executable = linkLinux(payload.modules, payload.script, { bounds, tier: options.tier });
    }
  } catch (error) {
    return everything(`the native path failed: ${message(error)}`);
  }

  const directory = temporaryDirectory("delos-spec-");
  let result: ProcessResult;
  try {
    const path = join(directory.path, "program");
    writeExecutable(path, executable);
    result = await spawnAsync(path, [], options.timeoutMs ?? 120_000);
  } finally {
    directory.remove();
  }
  const stderr = result.stderr.trim().split("\n").slice(-3).join(" / ");
  const ending = result.timedOut ? "the executable timed out"
    : result.signal ? `the executable was killed by ${result.signal}`
    : `the executable exited with status ${result.status}`;
  const ran = outcomesOfSpecOutput(result.stdout, payload.kept.length, `${ending} before this command${stderr ? ` (${stderr})` : ""}`);

  const outcomes: Outcome[] = [];
  let next = 0;
  for (const [index, command] of script.commands.entries()) {
    if (payload.kept[next] === index) { outcomes.push(ran[next++]); continue; }
    const component = componentOfInstance.get(command.instance);
    const reason = component === undefined ? `instance ${command.instance} was never instantiated` : failures.get(component) ?? "not run";
    outcomes.push({ kind: "not-run", message: reason });
  }
  return outcomes;
}
