// The AssemblyScript client bindings (ipc/generated): the raw imports of
// module `delos`, a typed wrapper per system call named after its table
// entry, the ABI's numbers (errors, rights, object types, constants),
// zero-cost views of the records, and one file per protocol.

import type { Table } from "../table/index";
import type { Argument, Constant, Field, Protocol, Record, SystemCall } from "../table/schema";
import {
  banner, camel, Layout, oneLine, pascal, protocolFile, recordLayout, replyLayout, requestLayout, screaming,
  wasmType, wireName, wireParameters,
} from "./model";

const DECORATOR = "// @ts-ignore: decorator\n";

function asType(type: string): string {
  return type;
}

function resultType(call: SystemCall): string {
  return call.result.type === "none" ? "void" : call.result.type;
}

function imports(table: Table): string {
  const lines = [banner("The system calls as imports of module `delos`: the raw wasm signatures. Programs use the wrappers of system.ts."), ""];
  for (const call of table.calls) {
    const params = wireParameters(call).map((p) => `${p.name}: ${asType(p.type)}`).join(", ");
    lines.push(`${DECORATOR}@external("delos", "${wireName(call)}") export declare function delos_${wireName(call)}(${params}): ${resultType(call)};`);
  }
  return lines.join("\n") + "\n";
}

/** The wrapper's parameter list and the raw call's arguments for one table argument. */
function wrapperArgument(argument: Argument): { params: string[]; prelude: string[]; values: string[] } {
  switch (argument.kind) {
    case "value": return { params: [`${argument.name}: ${argument.type}`], prelude: [], values: [argument.name] };
    case "handle": return { params: [`${argument.name}: Handle`], prelude: [], values: [argument.name] };
    case "record": return { params: [`${argument.name}: usize`], prelude: [], values: [`<u32>${argument.name}`] };
    case "buffer": return {
      params: [`${argument.name}: usize`, `${argument.name}Length: u32`], prelude: [],
      values: [`<u32>${argument.name}`, `${argument.name}Length`],
    };
    case "iovec": return {
      params: [`${argument.name}: usize`, `${argument.name}Count: u32`], prelude: [],
      values: [`<u32>${argument.name}`, `${argument.name}Count`],
    };
    case "string": return {
      params: [`${argument.name}: string`],
      prelude: [`const ${argument.name}Bytes = String.UTF8.encode(${argument.name});`],
      values: [`<u32>changetype<usize>(${argument.name}Bytes)`, `<u32>${argument.name}Bytes.byteLength`],
    };
  }
}

function describeArgument(argument: Argument): string {
  let text = oneLine(argument.doc);
  if (argument.kind === "handle" && argument.rights.length > 0) text += ` Needs ${argument.rights.join(", ")}.`;
  return `@param ${argument.name} ${text}`;
}

function wrapper(call: SystemCall): string {
  const parts = call.arguments.map(wrapperArgument);
  const params = parts.flatMap((p) => p.params).join(", ");
  const prelude = parts.flatMap((p) => p.prelude);
  const values = parts.flatMap((p) => p.values).join(", ");
  const doc = [`/**`, ` * ${oneLine(call.doc)}`, ...call.arguments.map((a) => ` * ${describeArgument(a)}`), ` * @returns ${oneLine(call.result.doc)}`, ` */`];
  const raw = `delos_${wireName(call)}(${values})`;
  const body: string[] = [...prelude];
  if (call.result.noReturn) { body.push(`${raw};`, "unreachable();"); }
  else if (call.result.type === "none") body.push(`${raw};`);
  else body.push(`return ${raw};`);
  const inline = prelude.length === 0 ? `${DECORATOR}@inline ` : "";
  return `${doc.join("\n")}\n${inline}export function ${camel(call.name)}(${params}): ${resultType(call)} {\n${body.map((l) => `  ${l}`).join("\n")}\n}\n`;
}

function system(table: Table): string {
  const names = table.calls.map((c) => `delos_${wireName(c)}`);
  const lines = [
    banner("A typed wrapper for each system call, named after its table entry (`msg.send` -> `msgSend`); docs/generated/system-calls.md describes them."),
    `import {\n${chunk(names, 4).map((l) => `  ${l.join(", ")},`).join("\n")}\n} from "./imports";`,
    "",
    "/** A handle: a number in the component's handle table (0 is never one). */",
    "export type Handle = i32;",
    "",
  ];
  for (const call of table.calls) lines.push(wrapper(call));
  return lines.join("\n");
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function constantType(constant: Constant): string {
  return constant.type ?? "i32";
}

function literal(type: string, value: number): string {
  return type === "i64" || type === "u64" ? `<${type}>${value}` : `${value}`;
}

function fieldType(field: Field): string {
  return field.type === "bytes" ? "usize" : field.type;
}

/** An @unmanaged class with no fields: a view over memory at `changetype<usize>(this)`. */
export function view(name: string, doc: string, shape: Layout, constantPrefix: string): string {
  const lines = [`export const ${constantPrefix}_SIZE: u32 = ${shape.size};`];
  for (const { field, offset } of shape.fields) lines.push(`export const ${constantPrefix}_${screaming(field.name)}: u32 = ${offset};`);
  if (shape.tail) lines.push(`/** Where the variable ${shape.tail.name} starts (the fixed part's size). */\nexport const ${constantPrefix}_${screaming(shape.tail.name)}: u32 = ${shape.size};`);
  lines.push(`/** ${oneLine(doc)} A view: \`changetype<${name}>(pointer)\`. */`);
  lines.push(`${DECORATOR}@unmanaged export class ${name} {`);
  for (const { field, offset } of shape.fields) {
    lines.push(`  /** ${oneLine(field.doc)} */`);
    if (field.type === "bytes") {
      lines.push(`  get ${field.name}(): usize { return changetype<usize>(this) + ${offset}; }`);
      continue;
    }
    lines.push(`  get ${field.name}(): ${fieldType(field)} { return load<${field.type}>(changetype<usize>(this), ${offset}); }`);
    lines.push(`  set ${field.name}(value: ${fieldType(field)}) { store<${field.type}>(changetype<usize>(this), value, ${offset}); }`);
  }
  if (shape.tail) {
    lines.push(`  /** ${oneLine(shape.tail.doc)} (its address; its length is the message's length less ${shape.size}) */`);
    lines.push(`  get ${shape.tail.name}(): usize { return changetype<usize>(this) + ${shape.size}; }`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

function recordView(record: Record): string {
  return view(pascal(record.name), record.doc, recordLayout(record), screaming(record.name));
}

function abi(table: Table): string {
  const lines = [banner("The numbers of the system-call ABI: error codes (negative, as calls return them), rights, object types, constants, and views of the records calls read and write."), ""];
  for (const error of table.errors) lines.push(`/** ${oneLine(error.doc)} */\nexport const ERROR_${error.name}: i32 = -${error.code};`);
  lines.push(`/** Protocols number their errors from here down (a reply status of -${table.protocolErrorBase} or less). */\nexport const PROTOCOL_ERROR_BASE: i32 = ${table.protocolErrorBase};`);
  lines.push("", "/** The name of an error code (negative), for messages. */", "export function errorName(status: i32): string {", "  switch (status) {");
  for (const error of table.errors) lines.push(`    case ERROR_${error.name}: return "${error.name}";`);
  lines.push(`    default: return status < 0 ? "ERROR" : "OK";`, "  }", "}", "");
  for (const right of table.rights) lines.push(`/** ${oneLine(right.doc)} */\nexport const RIGHT_${right.name}: u32 = ${1 << right.bit};`);
  lines.push("");
  for (const type of table.objectTypes) lines.push(`/** ${oneLine(type.doc)} */\nexport const OBJECT_TYPE_${screaming(type.name)}: u32 = ${type.code};`);
  lines.push("");
  for (const constant of table.constants) {
    const type = constantType(constant);
    lines.push(`/** ${oneLine(constant.doc)} */\nexport const ${constant.name}: ${type} = ${literal(type, constant.value)};`);
  }
  lines.push("");
  for (const record of table.records) lines.push(recordView(record));
  return lines.join("\n");
}

/** A protocol's client bindings: its path, errors, operations and the views of its requests and replies; `source`: what declares it. */
export function protocolBindings(protocol: Protocol, source?: string): string {
  const prefix = screaming(protocol.name);
  const lines = [banner(`Protocol ${protocol.name}: ${oneLine(protocol.doc)}`, source), ""];
  lines.push(`/** Where a server of ${protocol.name} registers by default. */\nexport const ${prefix}_PATH = "${protocol.path}";`, "");
  for (const error of protocol.errors ?? []) lines.push(`/** ${oneLine(error.doc)} */\nexport const ${prefix}_ERROR_${error.name}: i32 = -${error.code};`);
  if ((protocol.errors ?? []).length > 0) lines.push("");
  for (const message of protocol.messages) {
    const name = pascal(`${protocol.name}.${message.name}`);
    const constant = `${prefix}_${screaming(message.name)}`;
    lines.push(`/** Operation ${message.name}: ${oneLine(message.doc)} */\nexport const ${constant}: u32 = ${message.operation};`);
    lines.push(view(`${name}Request`, `The request of ${protocol.name} ${message.name}.`, requestLayout(message), `${constant}_REQUEST`));
    lines.push(view(`${name}Reply`, `The reply of ${protocol.name} ${message.name}.`, replyLayout(message), `${constant}_REPLY`));
  }
  return lines.join("\n");
}

function index(table: Table): string {
  const lines = [banner("Everything a component needs to talk to the kernel and to the protocols' servers."), ""];
  lines.push(`export * from "./abi";`, `export * from "./system";`);
  for (const protocol of table.protocols) lines.push(`export * from "./protocols/${protocolFile(protocol)}";`);
  return lines.join("\n") + "\n";
}

/** The client bindings: path (relative to the repository) -> contents. */
export function generateClient(table: Table): Map<string, string> {
  const files = new Map<string, string>();
  files.set("ipc/generated/imports.ts", imports(table));
  files.set("ipc/generated/system.ts", system(table));
  files.set("ipc/generated/abi.ts", abi(table));
  for (const protocol of table.protocols) files.set(`ipc/generated/protocols/${protocolFile(protocol)}.ts`, protocolBindings(protocol));
  files.set("ipc/generated/index.ts", index(table));
  return files;
}

export { wasmType };
