// Turns one converted spec file (wast2json's JSON) into a plan: the
// components to load (spectest first), one script that instantiates,
// registers and invokes in the file's order, and the checks to make on the
// script's outcomes. Validation assertions (assert_invalid, binary
// assert_malformed) do not run: they are checked against our validator.
// Text-format assert_malformed is excluded (exclusions.ts says why).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScriptCommand } from "./script";
import { Expected, fromJson, Value } from "./values";

/** Assertion kinds checked by running code: counted once per bounds mode. */
export type ExecutionKind =
  | "module" | "register" | "action"
  | "assert_return" | "assert_trap" | "assert_exhaustion" | "assert_unlinkable" | "assert_uninstantiable";

/** Assertion kinds checked by the validator: counted once. */
export type ValidationKind = "assert_invalid" | "assert_malformed";

export interface ExecutionCheck {
  kind: ExecutionKind;
  line: number;
  /** Index of the script command whose outcome is checked. */
  command: number;
  /** assert_return: the results. */
  expected?: Expected[];
  /** assert_trap, assert_exhaustion, assert_unlinkable, assert_uninstantiable: the spec's text. */
  text?: string;
}

export interface ValidationCheck { kind: ValidationKind; line: number; file: string; text: string; }

export interface ExcludedCheck { kind: string; line: number; }

export interface SpecPlan {
  name: string;
  /** Paths of the component binaries; component 0 is spectest. */
  components: string[];
  commands: ScriptCommand[];
  checks: ExecutionCheck[];
  validations: ValidationCheck[];
  excluded: ExcludedCheck[];
}

interface JsonValue { type: string; value?: string }
interface JsonAction { type: "invoke" | "get"; module?: string; field: string; args?: JsonValue[] }
interface JsonCommand {
  type: string;
  line: number;
  name?: string;
  as?: string;
  filename?: string;
  module_type?: "binary" | "text";
  action?: JsonAction;
  expected?: JsonValue[];
  text?: string;
}

export const SPECTEST_INSTANCE = 0;

export function planSpecFile(name: string, jsonPath: string, directory: string, spectestWasm: string): SpecPlan {
  const json = JSON.parse(readFileSync(jsonPath, "utf8")) as { commands: JsonCommand[] };
  const plan: SpecPlan = { name, components: [spectestWasm], commands: [], checks: [], validations: [], excluded: [] };
  const named = new Map<string, number>();
  let current = -1;

  const emit = (command: ScriptCommand): number => plan.commands.push(command) - 1;
  const instantiate = (file: string): number => {
    const component = plan.components.push(join(directory, file)) - 1;
    emit({ op: "instantiate", component, instance: component });
    return component;
  };
  const resolve = (moduleName: string | undefined, line: number): number => {
    const instance = moduleName === undefined ? current : named.get(moduleName);
    if (instance === undefined || instance < 0) throw new Error(`${name}:${line}: no module ${moduleName ?? "(current)"}`);
    return instance;
  };
  const action = (a: JsonAction, line: number): number => {
    const instance = resolve(a.module, line);
    if (a.type === "get") return emit({ op: "get", instance, name: a.field });
    const args = (a.args ?? []).map((v) => fromJson(v) as Value);
    return emit({ op: "invoke", instance, name: a.field, args });
  };

  emit({ op: "instantiate", component: 0, instance: SPECTEST_INSTANCE });
  emit({ op: "register", instance: SPECTEST_INSTANCE, name: "spectest" });

  for (const c of json.commands) {
    switch (c.type) {
      case "module": {
        current = instantiate(c.filename!);
        if (c.name) named.set(c.name, current);
        plan.checks.push({ kind: "module", line: c.line, command: plan.commands.length - 1 });
        break;
      }
      case "register": {
        const instance = resolve(c.name, c.line);
        plan.checks.push({ kind: "register", line: c.line, command: emit({ op: "register", instance, name: c.as! }) });
        break;
      }
      case "action":
        plan.checks.push({ kind: "action", line: c.line, command: action(c.action!, c.line) });
        break;
      case "assert_return":
        plan.checks.push({ kind: "assert_return", line: c.line, command: action(c.action!, c.line), expected: (c.expected ?? []).map(fromJson) });
        break;
      case "assert_trap":
      case "assert_exhaustion": {
        const command = c.action ? action(c.action, c.line) : (instantiate(c.filename!), plan.commands.length - 1);
        plan.checks.push({ kind: c.type, line: c.line, command, text: c.text });
        break;
      }
      case "assert_unlinkable":
      case "assert_uninstantiable":
        instantiate(c.filename!);
        plan.checks.push({ kind: c.type, line: c.line, command: plan.commands.length - 1, text: c.text });
        break;
      case "assert_invalid":
      case "assert_malformed":
        if (c.module_type === "text") plan.excluded.push({ kind: `${c.type} (text)`, line: c.line });
        else plan.validations.push({ kind: c.type, line: c.line, file: join(directory, c.filename!), text: c.text ?? "" });
        break;
      default:
        throw new Error(`${name}:${c.line}: unknown command ${c.type}`);
    }
  }
  return plan;
}
