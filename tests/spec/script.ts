// The harnesses' view of a script (docs/linux-runtime.md, "Scripts"): the
// components to load and the commands to run, before any encoding; and the
// outcome of each command, parsed from the runtime's spec output. Both
// backends (native and V8) take a Script and give back one Outcome per
// command, so everything that compares results is shared and proven on V8.

import { formatSpec, parseSpecOutput } from "../../sdk/host/script";
import { Value } from "./values";

export type ScriptCommand =
  | { op: "instantiate"; component: number; instance: number }
  | { op: "register"; instance: number; name: string }
  | { op: "invoke"; instance: number; name: string; args: Value[]; repeat?: number }
  | { op: "get"; instance: number; name: string }
  | { op: "start"; instance: number };

export interface Script {
  /** Module binaries; a command's `component` is an index here. */
  components: Uint8Array[];
  commands: ScriptCommand[];
}

export type Outcome =
  | { kind: "ok"; timeNs?: bigint }
  | { kind: "values"; values: Value[]; timeNs?: bigint }
  | { kind: "trap"; message: string }
  | { kind: "unlinkable"; message: string }
  | { kind: "error"; message: string }
  /** The command did not run: its module did not compile, or the run ended early. */
  | { kind: "not-run"; message: string };

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "ok": return "ok";
    case "values": return outcome.values.length ? outcome.values.map(formatSpec).join(" ") : "(no results)";
    case "trap": return `trap: ${outcome.message}`;
    case "unlinkable": return `unlinkable: ${outcome.message}`;
    case "error": return `error: ${outcome.message}`;
    case "not-run": return `not run: ${outcome.message}`;
  }
}

/**
 * The outcomes of a native run's spec output (sdk/host/script.ts reads the
 * lines); commands without a line come back as not-run with `missing` as
 * the reason.
 */
export function outcomesOfSpecOutput(stdout: string, count: number, missing: string): Outcome[] {
  const results = parseSpecOutput(stdout);
  const outcomes: Outcome[] = [];
  for (let index = 0; index < count; index++) {
    const result = results.get(index);
    if (!result) outcomes.push({ kind: "not-run", message: missing });
    else if (result.kind === "values") outcomes.push({ kind: "values", values: result.values, timeNs: result.timeNs });
    else if (result.kind === "ok") outcomes.push({ kind: "ok" });
    else outcomes.push({ kind: result.kind, message: result.message });
  }
  return outcomes;
}
