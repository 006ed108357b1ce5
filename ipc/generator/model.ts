// What the generators share: the table checked for consistency, names in
// their three spellings, each call's wire parameters (one or two wasm
// values per argument), and the layouts of records and protocol messages.

import type { Argument, Field, Message, Protocol, Record, SystemCall, ValueType } from "../table/schema";
import type { Table } from "../table/index";

/** `msg.send` -> `msg_send` (the import's name in module `delos`). */
export function wireName(call: SystemCall): string {
  return call.name.replace(".", "_");
}

/** `msg.send` -> `msgSend`, `thread.set_priority` -> `threadSetPriority`, `test.echo` -> `testEcho`. */
export function camel(name: string): string {
  return name.replace(/[._]([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `receiveInfo` -> `ReceiveInfo`. */
export function pascal(name: string): string {
  const c = camel(name);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** `receiveInfo` -> `RECEIVE_INFO`, `test.echo` -> `TEST_ECHO`. */
export function screaming(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[.]/g, "_").toUpperCase();
}

/** One wasm value of a call: a whole argument, or the pointer or length half of one. */
export interface WireParameter {
  name: string;
  type: "i32" | "u32" | "i64" | "u64";
  argument: Argument;
  role: "value" | "pointer" | "length";
}

export function wireParameters(call: SystemCall): WireParameter[] {
  const out: WireParameter[] = [];
  for (const argument of call.arguments) {
    switch (argument.kind) {
      case "value": out.push({ name: argument.name, type: argument.type, argument, role: "value" }); break;
      case "handle": out.push({ name: argument.name, type: "i32", argument, role: "value" }); break;
      case "record": out.push({ name: argument.name, type: "u32", argument, role: "pointer" }); break;
      case "buffer":
      case "string":
        out.push({ name: argument.name, type: "u32", argument, role: "pointer" });
        out.push({ name: `${argument.name}Length`, type: "u32", argument, role: "length" });
        break;
      case "iovec":
        out.push({ name: argument.name, type: "u32", argument, role: "pointer" });
        out.push({ name: `${argument.name}Count`, type: "u32", argument, role: "length" });
        break;
    }
  }
  return out;
}

/** The wasm type of a table value type. */
export function wasmType(type: ValueType | "none"): "i32" | "i64" | "" {
  if (type === "none") return "";
  return type === "i64" || type === "u64" ? "i64" : "i32";
}

export interface FieldLayout { field: Field; offset: number; size: number; }
export interface Layout {
  fields: FieldLayout[];
  /** Bytes of the fixed part (the variable tail, if any, starts here). */
  size: number;
  /** The variable-length bytes field at the end, if any. */
  tail: Field | null;
}

function fieldSize(field: Field): number {
  if (field.type === "bytes") return field.length ?? 0;
  return field.type === "i64" || field.type === "u64" ? 8 : 4;
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/** Natural alignment, in order; a fixed record's size rounds up to its largest alignment. */
export function layout(fields: Field[], start = 0): Layout {
  const out: FieldLayout[] = [];
  let offset = start;
  let largest = 4;
  let tail: Field | null = null;
  for (const field of fields) {
    if (field.type === "bytes" && field.length === undefined) { tail = field; continue; }
    const size = fieldSize(field);
    const alignment = field.type === "bytes" ? 1 : size;
    largest = Math.max(largest, alignment);
    offset = align(offset, alignment);
    out.push({ field, offset, size });
    offset += size;
  }
  // A variable tail starts 8-aligned, so that any data in it is aligned too.
  return { fields: out, size: align(offset, tail ? 8 : largest), tail };
}

export function recordLayout(record: Record): Layout {
  return layout(record.fields);
}

/** A request begins with its operation (u32 at offset 0). */
export const OPERATION_FIELD: Field = { name: "operation", type: "u32", doc: "The message's operation number." };

export function requestLayout(message: Message): Layout {
  return layout([OPERATION_FIELD, ...message.request]);
}

export function replyLayout(message: Message): Layout {
  return layout(message.reply);
}

/** A reply with fields: its handler gets the reply's view. */
export function hasReply(reply: Layout): boolean {
  return reply.fields.length > 0 || reply.tail !== null;
}

/** Members of ipc/client's Handlers and of the generated dispatch: no request's handler may be called so. */
const HANDLER_MEMBERS = new Set(["receiveId", "info", "pulse", "constructor", "handlers", "dispatch"]);

/** The parameter names of the generated server's handler of `message`, in order (server.ts). */
export function handlerParameters(message: Message): string[] {
  const request = requestLayout(message);
  const names = request.fields.filter(({ field }) => field !== OPERATION_FIELD).map(({ field }) => field.name);
  if (request.tail) names.push(request.tail.name, `${request.tail.name}Length`);
  if (message.handle) names.push(message.handle.name);
  if (hasReply(replyLayout(message))) names.push("reply");
  return names;
}

/** Words a field (an accessor in the bindings) may not be called: AssemblyScript keywords, and `size`, whose constant would clash with the layout's `_SIZE`. */
const RESERVED = new Set(["size", "function", "class", "default", "delete", "new", "return", "switch", "case", "this", "type", "var", "let", "const", "enum", "export", "import", "in", "instanceof", "typeof", "void", "with", "yield", "null", "true", "false", "if", "else", "for", "while", "do", "break", "continue", "throw", "try", "catch", "finally", "super", "extends", "interface", "package", "private", "protected", "public", "static", "declare", "namespace", "module"]);

/** Names the generated dispatch uses for itself. */
const DISPATCH_LOCALS = new Set(["caller", "callerComponent", "handles", "callerBase", "callerLength", "result", "abi"]);

/** A mistake in the table or in a component folder's protocols: its message says what and where. */
export class ProtocolTableError extends Error {}

/** Checks the table: unique names, known rights, records and errors, one tail per message, at its end. Throws with every problem found. */
export function checkTable(table: Table): void {
  const problems: string[] = [];
  const rightNames = new Set(table.rights.map((r) => r.name));
  const errorNames = new Set(table.errors.map((e) => e.name));
  const recordNames = new Set(table.records.map((r) => r.name));
  const seen = new Set<string>();
  for (const call of table.calls) {
    if (!/^[a-z]+\.[a-z_]+$/.test(call.name)) problems.push(`${call.name}: a call is named family.verb in lower case`);
    if (seen.has(call.name)) problems.push(`${call.name}: declared twice`);
    seen.add(call.name);
    const argumentNames = new Set<string>();
    for (const argument of call.arguments) {
      if (argumentNames.has(argument.name)) problems.push(`${call.name}: argument ${argument.name} twice`);
      if (DISPATCH_LOCALS.has(argument.name)) problems.push(`${call.name}: argument ${argument.name} would clash with the dispatch's own names`);
      argumentNames.add(argument.name);
      if (argument.kind === "handle") {
        for (const right of argument.rights) if (!rightNames.has(right)) problems.push(`${call.name}: unknown right ${right}`);
      }
      if (argument.kind === "record" && !recordNames.has(argument.record)) problems.push(`${call.name}: unknown record ${argument.record}`);
    }
    for (const error of call.errors) if (!errorNames.has(error)) problems.push(`${call.name}: unknown error ${error}`);
    if (call.capability?.argument && !argumentNames.has(call.capability.argument)) problems.push(`${call.name}: the capability names no argument ${call.capability.argument}`);
    if (wireParameters(call).length > 8) problems.push(`${call.name}: more than 8 wasm parameters`);
  }
  const codes = new Set<number>();
  for (const error of table.errors) {
    if (codes.has(error.code)) problems.push(`error ${error.name}: code ${error.code} twice`);
    codes.add(error.code);
    if (error.code <= 0 || error.code >= table.protocolErrorBase) problems.push(`error ${error.name}: kernel codes are 1..${table.protocolErrorBase - 1}`);
  }
  const bits = new Set<number>();
  for (const right of table.rights) {
    if (bits.has(right.bit)) problems.push(`right ${right.name}: bit ${right.bit} twice`);
    bits.add(right.bit);
  }
  for (const type of table.objectTypes) {
    for (const right of type.initialRights) if (!rightNames.has(right)) problems.push(`object ${type.name}: unknown right ${right}`);
  }
  for (const record of table.records) {
    for (const field of record.fields) if (RESERVED.has(field.name)) problems.push(`record ${record.name}: field ${field.name}: a reserved word in AssemblyScript`);
    if (record.fields.some((f) => f.type === "bytes" && f.length === undefined)) problems.push(`record ${record.name}: records have fixed sizes`);
  }
  for (const protocol of table.protocols) problems.push(...checkProtocol(protocol, table));
  for (const clash of protocolClashes(table.protocols.map((protocol) => ({ protocol, place: TABLE_PLACE })))) problems.push(clash.text);
  if (problems.length > 0) throw new ProtocolTableError(`ipc table:\n  ${problems.join("\n  ")}`);
}

/** A protocol's name: lower-case words of letters, digits and `_`, dotted (`test.echo`, `block_device`). */
const PROTOCOL_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** A message's, a field's or a handle's name: it becomes an AssemblyScript identifier. */
const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;

/** Where the table's protocols are declared, as clash reports name it. */
export const TABLE_PLACE = "the table (ipc/table/protocols)";

/** The problems of one protocol, each starting with its name; checked against the table's errors and fields' rules. */
export function checkProtocol(protocol: Protocol, table: Table): string[] {
  const problems: string[] = [];
  if (!PROTOCOL_NAME.test(protocol.name)) problems.push(`protocol ${protocol.name}: a protocol's name is dotted lower-case words of letters, digits and _`);
  if (!protocol.path.startsWith("/")) problems.push(`protocol ${protocol.name}: its path is absolute`);
  const operations = new Set<number>();
  for (const message of protocol.messages) {
    if (!IDENTIFIER.test(message.name)) problems.push(`${protocol.name}.${message.name}: a message's name is a camelCase identifier`);
    if (!Number.isInteger(message.operation) || message.operation < 0 || message.operation > 0xffffffff) {
      problems.push(`${protocol.name}.${message.name}: its operation is a u32`);
    }
    if (operations.has(message.operation)) problems.push(`${protocol.name}.${message.name}: operation ${message.operation} twice`);
    operations.add(message.operation);
    for (const fields of [message.request, message.reply]) {
      const tails = fields.filter((f) => f.type === "bytes" && f.length === undefined);
      if (tails.length > 1 || (tails.length === 1 && fields[fields.length - 1] !== tails[0])) {
        problems.push(`${protocol.name}.${message.name}: a variable bytes field comes last, once`);
      }
      for (const field of fields) {
        if (RESERVED.has(field.name)) problems.push(`${protocol.name}.${message.name}: field ${field.name}: a reserved word in AssemblyScript`);
        if (!IDENTIFIER.test(field.name)) problems.push(`${protocol.name}.${message.name}: field ${field.name}: a field's name is a camelCase identifier`);
      }
    }
    if (HANDLER_MEMBERS.has(message.name)) problems.push(`${protocol.name}.${message.name}: the generated server's handlers have a member of that name`);
    const parameters = handlerParameters(message);
    for (const name of new Set(parameters)) {
      if (parameters.indexOf(name) !== parameters.lastIndexOf(name)) problems.push(`${protocol.name}.${message.name}: its handler would have two parameters ${name}`);
    }
    if (message.handle && RESERVED.has(message.handle.name)) problems.push(`${protocol.name}.${message.name}: handle ${message.handle.name} is a reserved word in AssemblyScript`);
    if (message.handle && !IDENTIFIER.test(message.handle.name)) problems.push(`${protocol.name}.${message.name}: handle ${message.handle.name}: a handle's name is a camelCase identifier`);
    if (!message.idempotent) problems.push(`${protocol.name}.${message.name}: Delos requests are idempotent (docs/design.md section 4)`);
  }
  const errorCodes = new Map<number, string>();
  const errorNames = new Set<string>();
  for (const error of protocol.errors ?? []) {
    const kernel = table.errors.find((e) => e.code === error.code);
    if (kernel) problems.push(`${protocol.name}: error ${error.name} has code ${error.code}, the kernel's ${kernel.name} (ipc/table/errors.ts); protocols number theirs from ${table.protocolErrorBase}`);
    else if (error.code < table.protocolErrorBase) problems.push(`${protocol.name}: error ${error.name} below the protocol range (${table.protocolErrorBase} and up)`);
    const other = errorCodes.get(error.code);
    if (other !== undefined) problems.push(`${protocol.name}: errors ${other} and ${error.name} both have code ${error.code}`);
    errorCodes.set(error.code, error.name);
    if (errorNames.has(error.name)) problems.push(`${protocol.name}: error ${error.name} twice`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(error.name)) problems.push(`${protocol.name}: error ${error.name}: an error's name is SCREAMING_CASE`);
    errorNames.add(error.name);
  }
  return problems;
}

/**
 * Protocols that clash, wherever each is declared (`place`: the table or a
 * component folder's declaration file): the same name, or names that give
 * the same bindings (`a.b` and `a_b` are both `A_B`), or the same path.
 */
export function protocolClashes(declared: Array<{ protocol: Protocol; place: string }>): Array<{ text: string; places: string[] }> {
  const clashes: Array<{ text: string; places: string[] }> = [];
  const byBinding = new Map<string, { protocol: Protocol; place: string }>();
  const byPath = new Map<string, { protocol: Protocol; place: string }>();
  for (const entry of declared) {
    const { protocol, place } = entry;
    const binding = screaming(protocol.name);
    const earlier = byBinding.get(binding);
    if (!earlier) byBinding.set(binding, entry);
    else if (earlier.protocol.name === protocol.name) {
      clashes.push({ text: `protocol ${protocol.name}: declared twice, in ${earlier.place} and in ${place}`, places: [earlier.place, place] });
    } else {
      clashes.push({
        text: `protocols ${earlier.protocol.name} (${earlier.place}) and ${protocol.name} (${place}): their bindings would have the same names (${binding}_*)`,
        places: [earlier.place, place],
      });
    }
    const holder = byPath.get(protocol.path);
    if (!holder) byPath.set(protocol.path, entry);
    else clashes.push({ text: `protocols ${holder.protocol.name} (${holder.place}) and ${protocol.name} (${place}): both registered at ${protocol.path}`, places: [holder.place, place] });
  }
  return clashes;
}

/** A component folder's own protocols: the folder, the file that declares them (its manifest's `@protocol`) and what it declares. */
export interface FolderProtocols {
  folder: string;
  file: string;
  protocols: Protocol[];
}

/**
 * Checks the protocols of component folders as the table's own are
 * checked, and for clashes with the table's and one another's. Throws with
 * every problem found, each naming the file or files.
 */
export function checkFolders(table: Table, folders: FolderProtocols[]): void {
  const problems: string[] = [];
  const declared = table.protocols.map((protocol) => ({ protocol, place: TABLE_PLACE }));
  for (const { file, protocols } of folders) {
    for (const protocol of protocols) {
      for (const problem of checkProtocol(protocol, table)) problems.push(`${file}: ${problem}`);
      declared.push({ protocol, place: file });
    }
  }
  // The table's clashes among its own protocols are checkTable's to report.
  for (const clash of protocolClashes(declared)) if (clash.places.some((place) => place !== TABLE_PLACE)) problems.push(clash.text);
  if (problems.length > 0) throw new ProtocolTableError(`ipc protocols:\n  ${problems.join("\n  ")}`);
}

/** The generated files' header; `source` is what they are generated from. */
export function banner(what: string, source = "the table in ipc/table"): string {
  return `// ${what}\n// Generated by ipc/generator from ${source}: do not edit; run \`npm run ipc\`.\n`;
}

/** A doc string as a one-line comment body (the table's docs are single sentences or paragraphs). */
export function oneLine(doc: string): string {
  return doc.replace(/\s+/g, " ").trim();
}

export function protocolFile(protocol: Pick<Protocol, "name">): string {
  return protocol.name.replace(/[._]/g, "-");
}
