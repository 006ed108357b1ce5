// The kernel dispatch (kernel/generated): one exported function per system
// call, `delos_family_verb`, which the kernel's loader offers components
// as import `delos.family_verb`. Each disables interrupts for the kernel's
// run, identifies the caller, checks every argument — handles in the
// caller's handle table with the rights the table lists, pointers and
// lengths against its linear memory in 64-bit arithmetic, strings, iovec
// arrays, capabilities — and only then calls the kernel function the table
// names, with objects instead of handles and absolute addresses instead of
// pointers. Also the ABI's numbers for the kernel, and the list of calls
// with their wasm types that the loader registers.
//
// The table names each call's kernel function (and fast path), not where
// it lives: the dispatch imports them all from the kernel's map of system
// calls, kernel/syscall/table.ts, whose re-exports say which file
// implements each.

import type { Table } from "../table/index";
import type { Argument, SystemCall } from "../table/schema";
import { banner, camel, oneLine, recordLayout, screaming, wasmType, wireName, wireParameters } from "./model";

/** The kernel class of each object kind and the module (under kernel/) that defines it. */
export const OBJECT_CLASSES: { [kind: string]: { name: string; module: string } } = {
  channel: { name: "Channel", module: "object/channel" },
  connection: { name: "Connection", module: "object/connection" },
  memory: { name: "MemoryObject", module: "object/memory-object" },
  timer: { name: "Timer", module: "object/timer" },
  interrupt: { name: "Interrupt", module: "object/interrupt" },
};

/** The kernel's map of system calls (under kernel/): it exports every function the table names. */
export const SYSTEM_CALL_MAP = "syscall/table";

/**
 * What the dispatch uses besides the objects and the kernel functions:
 * entering and leaving the kernel and the caller (sched/entry.ts), the
 * caller's handle table (object/handle.ts), iovec and string checks
 * (object/message.ts), the manifest checks (component/policy.ts) and the
 * registration of the calls (component/system-calls.ts).
 */
const SUPPORT: Array<[string, string[]]> = [
  ["sched/entry", ["FAST_PATH_DECLINED", "enterKernel", "leaveKernel"]],
  ["component/system-calls", ["defineSystemCall"]],
  ["object/thread", ["Thread"]],
  ["object/handle", ["HandleEntry", "handlesOf"]],
  ["object/message", ["iovecsInside", "readString"]],
  ["component/policy", ["allows", "allowsNumber"]],
];

function capabilityConstant(kind: string): string {
  return `CAPABILITY_${screaming(kind)}`;
}

function capabilityOf(call: SystemCall): string {
  return call.capability ? call.capability.kind : "";
}

function errorValue(result: SystemCall["result"], name: string): string {
  return wasmType(result.type) === "i64" ? `<i64>ERROR_${name}` : `ERROR_${name}`;
}

function rightsMask(rights: string[]): string {
  return rights.length === 0 ? "0" : rights.map((r) => `RIGHT_${r}`).join(" | ");
}

interface Checked { lines: string[]; value: string[] }

/** The checks of one argument and the values the kernel function receives for it. */
function checkArgument(call: SystemCall, argument: Argument): Checked {
  const fail = (name: string) => `return ${errorValue(call.result, name)};`;
  const n = argument.name;
  switch (argument.kind) {
    case "value": return { lines: [], value: [n] };
    case "handle": {
      const type = argument.object === "any" ? "0" : `OBJECT_TYPE_${screaming(argument.object)}`;
      const lines: string[] = [];
      const entry = `${n}Entry`;
      if (argument.optional) {
        lines.push(`let ${entry}: HandleEntry | null = null;`);
        lines.push(`if (${n} != 0) {`);
        lines.push(`  ${entry} = handles.lookup(${n}, ${type}, ${rightsMask(argument.rights)});`);
        lines.push(`  if (${entry} == null) return ${wasmType(call.result.type) === "i64" ? "<i64>" : ""}handles.error;`);
        lines.push("}");
      } else {
        lines.push(`const ${entry} = handles.lookup(${n}, ${type}, ${rightsMask(argument.rights)});`);
        lines.push(`if (${entry} == null) return ${wasmType(call.result.type) === "i64" ? "<i64>" : ""}handles.error;`);
      }
      if (argument.object === "any" || argument.passEntry) return { lines, value: [entry] };
      const cls = OBJECT_CLASSES[argument.object].name;
      const value = argument.optional ? `${entry} == null ? null : changetype<${cls}>(${entry}!.object)` : `changetype<${cls}>(${entry}.object)`;
      return { lines, value: [value] };
    }
    case "buffer": {
      const lines: string[] = [];
      if (argument.maximum !== undefined) lines.push(`if (${n}Length > ${argument.maximum}) ${fail("INVALID_ARGUMENT")}`);
      lines.push(`if (<u64>${n} + <u64>${n}Length > callerLength) ${fail("BAD_ADDRESS")}`);
      return { lines, value: [`callerBase + <u64>${n}`, `${n}Length`] };
    }
    case "string": {
      const lines = [
        `if (${n}Length == 0 || ${n}Length > ${argument.maximum}) ${fail("INVALID_ARGUMENT")}`,
        `if (<u64>${n} + <u64>${n}Length > callerLength) ${fail("BAD_ADDRESS")}`,
        `const ${n}Text = readString(callerBase + <u64>${n}, ${n}Length);`,
        `if (${n}Text == null) ${fail("INVALID_ARGUMENT")}`,
      ];
      return { lines, value: [`${n}Text`] };
    }
    case "iovec": {
      const lines = [
        `if (${n}Count > ${argument.maximum}) ${fail("INVALID_ARGUMENT")}`,
        `if (<u64>${n} + (<u64>${n}Count << 3) > callerLength) ${fail("BAD_ADDRESS")}`,
        `if (!iovecsInside(callerBase + <u64>${n}, ${n}Count, callerLength)) ${fail("BAD_ADDRESS")}`,
      ];
      return { lines, value: [`callerBase + <u64>${n}`, `${n}Count`] };
    }
    case "record": {
      const size = `${screaming(argument.record)}_SIZE`;
      if (argument.optional) {
        return {
          lines: [`if (${n} != 0 && <u64>${n} + ${size} > callerLength) ${fail("BAD_ADDRESS")}`],
          value: [`${n} == 0 ? 0 : callerBase + <u64>${n}`],
        };
      }
      return { lines: [`if (<u64>${n} + ${size} > callerLength) ${fail("BAD_ADDRESS")}`], value: [`callerBase + <u64>${n}`] };
    }
  }
}

function params(call: SystemCall): string {
  return wireParameters(call).map((p) => `${p.name}: ${p.type}`).join(", ");
}

function args(call: SystemCall): string {
  return wireParameters(call).map((p) => p.name).join(", ");
}

function resultType(call: SystemCall): string {
  return call.result.type === "none" ? "void" : call.result.type;
}

function needsMemory(call: SystemCall): boolean {
  return call.arguments.some((a) => a.kind !== "value" && a.kind !== "handle");
}

function needsHandles(call: SystemCall): boolean {
  return call.arguments.some((a) => a.kind === "handle");
}

/** The checking function: arguments checked in the table's order, then the kernel function. */
function checker(call: SystemCall): string {
  const name = wireName(call);
  // Inlined into its one caller, the entry: one frame per system call, not two.
  const lines = ["// @ts-ignore: decorator", `@inline function check_${name}(${["caller: Thread", params(call)].filter((p) => p.length > 0).join(", ")}): ${resultType(call)} {`];
  const body: string[] = [];
  if (!call.kernel) {
    if (call.result.type === "none") body.push("// Not implemented yet: nothing to do.");
    else body.push(`return ${errorValue(call.result, "NOT_SUPPORTED")};`);
  } else {
    body.push("const callerComponent = caller.component!;");
    if (needsHandles(call)) body.push("const handles = handlesOf(callerComponent);");
    if (needsMemory(call)) body.push("const callerBase = callerComponent.memoryBase;", "const callerLength = callerComponent.memoryLength;");
    const values: string[] = ["caller"];
    for (const argument of call.arguments) {
      const checked = checkArgument(call, argument);
      body.push(...checked.lines);
      values.push(...checked.value);
    }
    if (call.capability) {
      const argument = call.arguments.find((a) => a.name === call.capability!.argument);
      const constant = capabilityConstant(call.capability.kind);
      const test = argument?.kind === "string" ? `allows(callerComponent, ${constant}, ${argument.name}Text)`
        : argument ? `allowsNumber(callerComponent, ${constant}, <u64>${argument.name})` : `allows(callerComponent, ${constant}, "")`;
      body.push(`if (!${test}) return ${errorValue(call.result, "ACCESS_DENIED")};`);
    }
    const invocation = `${call.kernel}(${values.join(", ")})`;
    body.push(call.result.type === "none" ? `${invocation};` : `return ${invocation};`);
  }
  lines.push(...body.map((l) => `  ${l}`), "}");
  return lines.join("\n");
}

function entry(call: SystemCall): string {
  const name = wireName(call);
  const doc = `/** ${call.name}: ${oneLine(call.doc)} */`;
  const inner = `check_${name}(${["caller", args(call)].filter((a) => a.length > 0).join(", ")})`;
  if (call.fastPath) {
    // The fast path inlined into the entry; the general path a function of its own, so that its shadow-stack frame is not the entry's.
    const fast = `${doc}\nexport function delos_${name}(${params(call)}): ${resultType(call)} {\n  const fast = ${call.fastPath}(${args(call)});\n  if (fast != FAST_PATH_DECLINED) return <${resultType(call)}>fast;\n  return general_${name}(${args(call)});\n}`;
    return `${fast}\n\n/** ${call.name} past its fast path's preconditions. */\nfunction general_${name}(${params(call)}): ${resultType(call)} {\n  const caller = enterKernel();\n  const result = ${inner};\n  leaveKernel();\n  return result;\n}`;
  }
  if (call.result.type === "none") {
    return `${doc}\nexport function delos_${name}(${params(call)}): void {\n  const caller = enterKernel();\n  ${inner};\n  leaveKernel();\n}`;
  }
  return `${doc}\nexport function delos_${name}(${params(call)}): ${resultType(call)} {\n  const caller = enterKernel();\n  const result = ${inner};\n  leaveKernel();\n  return result;\n}`;
}

function typeLetters(call: SystemCall): { parameters: string; results: string } {
  const letter = (t: string) => (wasmType(t as never) === "i64" ? "I" : "i");
  return {
    parameters: wireParameters(call).map((p) => letter(p.type)).join(""),
    results: call.result.type === "none" ? "" : letter(call.result.type),
  };
}

function dispatch(table: Table): string {
  const lines = [banner("The system calls' dispatch: checks every argument against the caller, then calls the kernel function the table names (docs/ipc.md)."), ""];
  // Imports: the ABI's numbers, the support, the object classes and the kernel functions.
  lines.push(`import * as abi from "./abi";`);
  const used = new Set<string>();
  for (const call of table.calls) {
    if (!call.kernel) continue;
    for (const argument of call.arguments) if (argument.kind === "handle" && argument.object !== "any" && !argument.passEntry) used.add(argument.object);
  }
  const modules = new Map<string, Set<string>>();
  const want = (module: string, name: string) => { if (!modules.has(module)) modules.set(module, new Set()); modules.get(module)!.add(name); };
  for (const [module, names] of SUPPORT) for (const name of names) want(module, name);
  for (const kind of used) want(OBJECT_CLASSES[kind].module, OBJECT_CLASSES[kind].name);
  for (const call of table.calls) {
    if (call.kernel) want(SYSTEM_CALL_MAP, call.kernel);
    if (call.fastPath) want(SYSTEM_CALL_MAP, call.fastPath);
  }
  for (const [module, names] of [...modules].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`import { ${[...names].sort().join(", ")} } from "../${module}";`);
  }
  lines.push("", "// The numbers the checks use, by their names in the table.");
  const numbers = new Set<string>();
  for (const call of table.calls) {
    const text = checker(call);
    for (const match of text.matchAll(/\b(ERROR_[A-Z_]+|RIGHT_[A-Z_]+|OBJECT_TYPE_[A-Z_]+|CAPABILITY_[A-Z_]+|[A-Z_]+_SIZE)\b/g)) numbers.add(match[1]);
  }
  for (const number of [...numbers].sort()) lines.push(`const ${number} = abi.${number};`);
  lines.push("");
  for (const call of table.calls) lines.push(entry(call), "", checker(call), "");
  // The list the loader offers components (component/system-calls.ts).
  lines.push(`/** How many system calls there are. */\nexport const SYSTEM_CALL_COUNT: i32 = ${table.calls.length};`, "");
  lines.push("/** Defines every system call for the loader: import name, wasm types (`i` i32, `I` i64), dispatch function, capability kind. */");
  lines.push("export function defineSystemCalls(): void {");
  for (const call of table.calls) {
    const letters = typeLetters(call);
    lines.push(`  defineSystemCall("${wireName(call)}", "${letters.parameters}", "${letters.results}", delos_${wireName(call)}.index, "${capabilityOf(call)}");`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

function kernelAbi(table: Table): string {
  const lines = [banner("The numbers of the system-call ABI for the kernel: error codes (negative, as calls return them), rights, object types, capability kinds, constants and record layouts."), ""];
  for (const error of table.errors) lines.push(`/** ${oneLine(error.doc)} */\nexport const ERROR_${error.name}: i32 = -${error.code};`);
  lines.push(`export const PROTOCOL_ERROR_BASE: i32 = ${table.protocolErrorBase};`, "");
  for (const right of table.rights) lines.push(`export const RIGHT_${right.name}: u32 = ${1 << right.bit};`);
  lines.push(`export const RIGHTS_ALL: u32 = ${table.rights.reduce((m, r) => m | (1 << r.bit), 0)};`, "");
  for (const type of table.objectTypes) {
    lines.push(`export const OBJECT_TYPE_${screaming(type.name)}: u32 = ${type.code};`);
    lines.push(`/** The rights of a new ${type.name} handle. */\nexport const ${screaming(type.name)}_RIGHTS: u32 = ${type.initialRights.map((r) => 1 << table.rights.find((x) => x.name === r)!.bit).reduce((a, b) => a | b, 0)};`);
  }
  lines.push("");
  const kinds = [...new Set(table.calls.filter((c) => c.capability).map((c) => c.capability!.kind))];
  for (const kind of kinds) lines.push(`/** Manifest capability \`${kind}\` (component/policy.ts). */\nexport const ${capabilityConstant(kind)} = "${kind}";`);
  lines.push("");
  for (const constant of table.constants) {
    const type = constant.type ?? "i32";
    lines.push(`export const ${constant.name}: ${type} = ${type === "i64" || type === "u64" ? `<${type}>` : ""}${constant.value};`);
  }
  lines.push("");
  for (const record of table.records) {
    const shape = recordLayout(record);
    const prefix = screaming(record.name);
    lines.push(`// ${record.name}: ${oneLine(record.doc)}`);
    lines.push(`export const ${prefix}_SIZE: u64 = ${shape.size};`);
    for (const { field, offset } of shape.fields) lines.push(`export const ${prefix}_${screaming(field.name)}: i64 = ${offset};`);
  }
  return lines.join("\n") + "\n";
}

export function generateKernel(table: Table): Map<string, string> {
  const files = new Map<string, string>();
  files.set("kernel/generated/abi.ts", kernelAbi(table));
  files.set("kernel/generated/dispatch.ts", dispatch(table));
  return files;
}

export { camel };
