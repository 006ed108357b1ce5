// The server side of each protocol (ipc/generated/servers): a handler class
// to extend, with one abstract method per request taking the request's
// fields as arguments and the reply's view, and the dispatch that decodes a
// request for it — the operation, the size checks, the error reply of a
// malformed request, the reply's length — run by the serve loop of
// ipc/client/serve.ts. docs/ipc.md, "The server side", is the contract.
//
// A handler's arguments: each value field as its value; a fixed-length
// `bytes` field as its address in the request; the variable-length tail as
// its address and `NAMELength`, both inside the receive buffer (no copy, no
// allocation); a transferred handle (`Message.handle`) as a Handle; last,
// when the reply has fields, the reply's view. The reply lies over the
// request's buffer (a server replies in place), so a handler reads what it
// needs of the request's bytes before it writes reply fields over them.

import type { Table } from "../table/index";
import type { Message, Protocol } from "../table/schema";
import { banner, hasReply, oneLine, pascal, protocolFile, replyLayout, requestLayout, screaming } from "./model";

function prefixOf(protocol: Protocol): string {
  return screaming(protocol.name);
}

function handlersClass(protocol: Protocol): string {
  return `${pascal(protocol.name)}Handlers`;
}

/** The fixed parts of every request and reply, and a pulse: the smallest receive buffer that serves them all. */
function smallestBuffer(protocol: Protocol): number {
  let smallest = 16;
  for (const message of protocol.messages) smallest = Math.max(smallest, requestLayout(message).size, replyLayout(message).size);
  return smallest;
}

/** A handler's parameters (`name: type`) and their doc lines. */
function handlerParameters(protocol: Protocol, message: Message): { params: string[]; docs: string[] } {
  const request = requestLayout(message);
  const reply = replyLayout(message);
  const params: string[] = [];
  const docs: string[] = [];
  for (const { field, size } of request.fields) {
    if (field.name === "operation") continue;
    if (field.type === "bytes") {
      params.push(`${field.name}: usize`);
      docs.push(`@param ${field.name} ${oneLine(field.doc)} (its address: ${size} bytes in the request)`);
    } else {
      params.push(`${field.name}: ${field.type}`);
      docs.push(`@param ${field.name} ${oneLine(field.doc)}`);
    }
  }
  if (request.tail) {
    params.push(`${request.tail.name}: usize`, `${request.tail.name}Length: u32`);
    docs.push(`@param ${request.tail.name} ${oneLine(request.tail.doc)} (its address in the request)`);
    docs.push(`@param ${request.tail.name}Length Its length in bytes.`);
  }
  if (message.handle) {
    params.push(`${message.handle.name}: Handle`);
    docs.push(`@param ${message.handle.name} ${oneLine(message.handle.doc)} The handle transferred with the request, now the handler's to close (0: the client sent none).`);
  }
  const replyView = `${pascal(`${protocol.name}.${message.name}`)}Reply`;
  if (hasReply(reply)) {
    params.push(`reply: ${replyView}`);
    docs.push(`@param reply The reply's fields, over the request's buffer.`);
  }
  return { params, docs };
}

/** The handler of `message` as a signature: `echo(sequence: u32, ...): i32` (docs.ts shows it too). */
export function handlerSignature(protocol: Protocol, message: Message): string {
  return `${message.name}(${handlerParameters(protocol, message).params.join(", ")}): i32`;
}

function handlerMethod(protocol: Protocol, message: Message): string[] {
  const reply = replyLayout(message);
  const { docs } = handlerParameters(protocol, message);
  docs.push(reply.tail
    ? `@returns The length of what it wrote at \`reply.${reply.tail.name}\` (at most the receive buffer's room past ${reply.size} bytes), or a negative error status.`
    : `@returns 0, or a negative error status (the reply then carries no fields).`);
  return [
    `  /**`,
    `   * ${message.name} (operation ${message.operation}): ${oneLine(message.doc)}`,
    ...docs.map((line) => `   * ${line}`),
    `   */`,
    `  abstract ${handlerSignature(protocol, message)};`,
  ];
}

/** The dispatch's case for one message: size checks, the handler's call, the reply's length. */
function dispatchCase(protocol: Protocol, message: Message): string[] {
  const constant = `${prefixOf(protocol)}_${screaming(message.name)}`;
  const request = requestLayout(message);
  const reply = replyLayout(message);
  const requestView = `${pascal(`${protocol.name}.${message.name}`)}Request`;
  const replyView = `${pascal(`${protocol.name}.${message.name}`)}Reply`;
  const lines = [`      case ${constant}: {`];
  if (request.tail) {
    // Two comparisons, each with its own error: the capacity is at least every fixed part (serveRequests' smallest),
    // so a request past its fixed part is too large exactly when it is longer than the buffer.
    lines.push(`        if (length < ${constant}_REQUEST_SIZE) return ERROR_INVALID_ARGUMENT;`);
    lines.push(`        if (length > capacity) return ERROR_TOO_LARGE;`);
  } else {
    lines.push(`        if (length != ${constant}_REQUEST_SIZE) return ERROR_INVALID_ARGUMENT;`);
  }
  const values: string[] = [];
  const fixed = request.fields.filter(({ field }) => field.name !== "operation");
  if (fixed.length > 0) {
    lines.push(`        const request = changetype<${requestView}>(buffer);`);
    for (const { field } of fixed) values.push(`request.${field.name}`);
  }
  if (request.tail) values.push(`buffer + ${constant}_REQUEST_${screaming(request.tail.name)}`, `length - ${constant}_REQUEST_SIZE`);
  if (message.handle) {
    // The handler owns it now: the loop closes only a handle left in the receive info.
    lines.push(`        const ${message.handle.name} = <Handle>handlers.info.handle;`, `        handlers.info.handle = 0;`);
    values.push(message.handle.name);
  }
  if (hasReply(reply)) values.push(`changetype<${replyView}>(buffer)`);
  lines.push(`        const result = handlers.${message.name}(${values.join(", ")});`);
  const replyLength = reply.tail ? `<i32>(${constant}_REPLY_SIZE + <u32>result)` : `<i32>${constant}_REPLY_SIZE`;
  lines.push(`        return result < 0 ? result : ${replyLength};`, `      }`);
  return lines;
}

/** Where a server side's imports lead: ipc/client and ipc/generated as seen from its folder, and what declares the protocol. */
export interface ServerImports {
  client: string;
  generated: string;
  source?: string;
}

/** The table's server sides, in ipc/generated/servers. */
const TABLE_IMPORTS: ServerImports = { client: "../../client", generated: ".." };

/** A protocol's server side: the handler class, the dispatch and `serveX`, importing the client bindings from `../protocols/`. */
export function serverFile(protocol: Protocol, imports: ServerImports = TABLE_IMPORTS): string {
  const prefix = prefixOf(protocol);
  const name = pascal(protocol.name);
  const handlers = handlersClass(protocol);
  const fromProtocol = new Set<string>();
  for (const message of protocol.messages) {
    const constant = `${prefix}_${screaming(message.name)}`;
    const request = requestLayout(message);
    const reply = replyLayout(message);
    fromProtocol.add(constant).add(`${constant}_REQUEST_SIZE`).add(`${constant}_REPLY_SIZE`);
    if (request.tail) fromProtocol.add(`${constant}_REQUEST_${screaming(request.tail.name)}`);
    if (request.fields.length > 1) fromProtocol.add(`${pascal(`${protocol.name}.${message.name}`)}Request`);
    if (hasReply(reply)) fromProtocol.add(`${pascal(`${protocol.name}.${message.name}`)}Reply`);
  }
  const anyTail = protocol.messages.some((m) => requestLayout(m).tail !== null);
  const lines = [
    banner(`Protocol ${protocol.name}, the server side: the handlers a server writes and the dispatch that decodes requests for them (docs/ipc.md, "The server side").`, imports.source),
    `import { Handlers, serveRequests } from "${imports.client}/serve";`,
    `import { Handle } from "${imports.generated}/system";`,
    `import { ERROR_INVALID_ARGUMENT${anyTail ? ", ERROR_TOO_LARGE" : ""} } from "${imports.generated}/abi";`,
    `import {\n${wrap([...fromProtocol])}\n} from "../protocols/${protocolFile(protocol)}";`,
    "",
    `/** The smallest receive buffer of a server of ${protocol.name}: the fixed part of every request and reply, and a pulse. */`,
    `export const ${prefix}_SERVER_BUFFER_MINIMUM: u32 = ${smallestBuffer(protocol)};`,
    "",
    `/** Each request of ${protocol.name} as three numbers: its operation, the size of its fixed part, 1 when a variable-length field follows (else 0). What a test of malformed requests sends. */`,
    `export const ${prefix}_REQUESTS: StaticArray<u32> = [${protocol.messages.map((m) => `${m.operation}, ${requestLayout(m).size}, ${requestLayout(m).tail ? 1 : 0}`).join(", ")}];`,
    "",
    `/**`,
    ` * The handlers of a server of ${protocol.name}: one method per request,`,
    ` * called with the request's fields once its size is right. The reply`,
    ` * status is 0 when a handler returns a length (≥ 0), its error otherwise;`,
    ` * REPLY_LATER keeps the request (\`receiveId\`) for a msg.reply of the`,
    ` * server's own.`,
    ` */`,
    `export abstract class ${handlers} extends Handlers {`,
  ];
  for (const message of protocol.messages) lines.push(...handlerMethod(protocol, message), "");
  lines.pop();
  lines.push(
    "}",
    "",
    `/** Decodes a ${protocol.name} request for H's handlers: the reply's length, or the error status of a malformed one. */`,
    `// @ts-ignore: decorator`,
    `@final class ${name}Dispatch<H extends ${handlers}> {`,
    `  // Inline in the serve loop and in the direct handler (ipc/client/serve.ts): a call fewer on every request.`,
    `  // @ts-ignore: decorator`,
    `  @inline dispatch(handlers: H, buffer: usize, length: u32, capacity: u32): i32 {`,
    `    if (length < 4) return ERROR_INVALID_ARGUMENT;`,
    `    switch (load<u32>(buffer)) {`,
  );
  for (const message of protocol.messages) lines.push(...dispatchCase(protocol, message));
  lines.push(
    `    }`,
    `    return ERROR_INVALID_ARGUMENT;`,
    `  }`,
    `}`,
    "",
    `/**`,
    ` * Serves ${protocol.name} on \`channel\` with \`handlers\`, receiving into a buffer`,
    ` * of \`capacity\` bytes, at least ${prefix}_SERVER_BUFFER_MINIMUM. A request`,
    ` * of the wrong size or operation gets INVALID_ARGUMENT, one longer than the`,
    ` * buffer (only a variable-length field makes it so) TOO_LARGE, and the`,
    ` * server goes on. Returns only when receiving fails: the error. With`,
    ` * \`direct\`, the handlers also serve calls on their senders' threads`,
    ` * (msg.serve_direct; they must then make no system call).`,
    ` */`,
    `export function serve${name}<H extends ${handlers}>(handlers: H, channel: Handle, capacity: u32, direct: bool = false): i32 {`,
    `  return serveRequests(new ${name}Dispatch<H>(), handlers, channel, capacity, ${prefix}_SERVER_BUFFER_MINIMUM, direct);`,
    `}`,
  );
  return lines.join("\n") + "\n";
}

/** Names for an import list, a few a line. */
function wrap(names: string[]): string {
  const out: string[] = [];
  let line = "";
  for (const name of names) {
    if (line.length > 0 && line.length + name.length > 100) { out.push(`  ${line.trimEnd()}`); line = ""; }
    line += `${name}, `;
  }
  if (line.length > 0) out.push(`  ${line.trimEnd()}`);
  return out.join("\n");
}

/** The server side of every protocol: path (relative to the repository) -> contents. */
export function generateServers(table: Table): Map<string, string> {
  const files = new Map<string, string>();
  for (const protocol of table.protocols) files.set(`ipc/generated/servers/${protocolFile(protocol)}.ts`, serverFile(protocol));
  return files;
}
