// The ipc/ generator: the golden check (the checked-in generated files are
// exactly what the table produces now), the table's consistency, and unit
// tests of names, wire parameters, layouts and what the generated dispatch
// and bindings contain.

import type { TestFunction } from "../harness";
import { table } from "../../ipc/table/index";
import { generateAll } from "../../ipc/generator/index";
import { compareWithTree } from "../../ipc/compare";
import { loadDeclaredProtocols } from "../../ipc/components";
import { camel, checkTable, type FolderProtocols, layout, pascal, requestLayout, screaming, wireName, wireParameters } from "../../ipc/generator/model";
import { impliedErrors } from "../../ipc/generator/docs";
import type { Protocol, SystemCall } from "../../ipc/table/schema";

function call(name: string): SystemCall {
  const found = table.calls.find((c) => c.name === name);
  if (!found) throw new Error(`no call ${name}`);
  return found;
}

/** A call declared without a kernel function: the dispatch refuses it with NOT_SUPPORTED. */
function unimplemented(): SystemCall {
  const declared: SystemCall = { ...structuredClone(call("interrupt.unmask")), name: "interrupt.declared" };
  delete declared.kernel;
  return declared;
}

/** A protocol of one message, as a component folder might declare it. */
function folderProtocol(name: string, path: string): Protocol {
  return {
    name, path, doc: "A folder's protocol.",
    messages: [{
      name: "ping", operation: 1, idempotent: true, doc: "Answers.",
      request: [{ name: "value", type: "u32", doc: "A number." }, { name: "text", type: "bytes", doc: "Text." }],
      reply: [{ name: "value", type: "u32", doc: "A number." }],
    }],
    errors: [{ name: "BUSY", code: 256, doc: "Busy." }],
  };
}

/** The message of what checking `folders` against the table throws, or "". */
function folderProblems(folders: FolderProtocols[]): string {
  try { generateAll(table, folders); } catch (error) { return String(error); }
  return "";
}

export function register(test: TestFunction): void {
  test("the checked-in generated files are what the table and the component folders' protocols produce (run `npm run ipc` after changing them)", (t) => {
    const { folders, generatedFolders } = loadDeclaredProtocols(process.cwd());
    const problems = compareWithTree(process.cwd(), generateAll(table, folders), generatedFolders);
    t.eq(problems, [], "no generated file differs, is missing or is stale");
  });

  test("the generator is deterministic", (t) => {
    const first = generateAll(table);
    const second = generateAll(table);
    t.eq([...first.keys()], [...second.keys()]);
    t.ok([...first].every(([path, text]) => second.get(path) === text), "same contents twice");
  });

  test("names: wire, binding, view and constant spellings", (t) => {
    t.eq(wireName(call("msg.send")), "msg_send");
    t.eq(wireName(call("thread.set_priority")), "thread_set_priority");
    t.eq(camel("msg.send"), "msgSend");
    t.eq(camel("thread.set_priority"), "threadSetPriority");
    t.eq(pascal("receiveInfo"), "ReceiveInfo");
    t.eq(pascal("test.echo.echo"), "TestEchoEcho");
    t.eq(screaming("receiveInfo"), "RECEIVE_INFO");
    t.eq(screaming("test.echo"), "TEST_ECHO");
  });

  test("wire parameters: one value per handle or number, pointer and length per buffer, string and iovec", (t) => {
    t.eq(wireParameters(call("msg.send")).map((p) => `${p.name}:${p.type}`),
      ["connection:i32", "send:u32", "sendLength:u32", "reply:u32", "replyLength:u32"]);
    t.eq(wireParameters(call("msg.sendv")).map((p) => p.name), ["connection", "send", "sendCount", "reply", "replyCount", "handle"]);
    t.eq(wireParameters(call("name.open")).map((p) => `${p.name}:${p.type}`), ["path:u32", "pathLength:u32", "timeout:i64"]);
    t.eq(wireParameters(call("msg.receive")).map((p) => p.name), ["channel", "buffer", "bufferLength", "info"]);
  });

  test("layouts: natural alignment, records rounded to their largest field, tails 8-aligned", (t) => {
    const pulse = table.records.find((r) => r.name === "pulse")!;
    const shape = layout(pulse.fields);
    t.eq(shape.fields.map((f) => [f.field.name, f.offset]), [["code", 0], ["component", 4], ["value", 8]]);
    t.eq(shape.size, 16);
    const mixed = layout([{ name: "a", type: "u32", doc: "" }, { name: "b", type: "u64", doc: "" }, { name: "c", type: "u32", doc: "" }]);
    t.eq(mixed.fields.map((f) => f.offset), [0, 8, 16]);
    t.eq(mixed.size, 24);
    const echo = table.protocols.find((p) => p.name === "test.echo")!.messages[0];
    const request = requestLayout(echo);
    t.eq(request.fields.map((f) => [f.field.name, f.offset]), [["operation", 0], ["sequence", 4]]);
    t.eq(request.tail?.name, "data");
    t.eq(request.size, 8);
    const store = table.protocols.find((p) => p.name === "test.store")!.messages[0];
    t.eq(requestLayout(store).fields.map((f) => f.offset), [0, 4, 8], "put: operation, slot, value at 8");
  });

  test("the table checks itself: duplicates, unknown rights, errors and records, misplaced tails, reserved names", (t) => {
    let clean = "";
    try { checkTable(table); } catch (error) { clean = String(error); }
    t.eq(clean, "", "the table itself is consistent");
    const broken = structuredClone(table);
    broken.calls.push({ ...structuredClone(call("msg.send")) });
    broken.calls.push({
      name: "bad.call", doc: "", result: { type: "i32", doc: "" }, errors: ["NO_SUCH_ERROR"],
      arguments: [
        { name: "h", kind: "handle", object: "channel", rights: ["FLY"], doc: "" },
        { name: "r", kind: "record", record: "nothing", access: "write", doc: "" },
      ],
    });
    broken.protocols[0].messages[0].request = [{ name: "tail", type: "bytes", doc: "" }, { name: "after", type: "u32", doc: "" }];
    broken.records[0].fields.push({ name: "function", type: "u32", doc: "" });
    let message = "";
    try { checkTable(broken); } catch (error) { message = String(error); }
    for (const expected of ["msg.send: declared twice", "unknown right FLY", "unknown record nothing", "unknown error NO_SUCH_ERROR",
      "a variable bytes field comes last", "field function: a reserved word"]) {
      t.ok(message.includes(expected), `reports: ${expected}`);
    }
  });

  test("every argument check implies its errors", (t) => {
    t.eq(impliedErrors(call("msg.send")), ["BAD_HANDLE", "WRONG_TYPE", "ACCESS_DENIED", "BAD_ADDRESS", "DEAD_SERVER", "TIMED_OUT"]);
    t.ok(impliedErrors(call("name.register")).includes("INVALID_ARGUMENT"), "strings have a length range");
    t.ok(impliedErrors(unimplemented()).includes("NOT_SUPPORTED"), "calls without a kernel function say so");
    t.ok(!impliedErrors(call("interrupt.unmask")).includes("NOT_SUPPORTED"), "implemented calls do not");
  });

  test("the dispatch checks before it calls: handles with rights, 64-bit bounds, iovecs, strings, capabilities", (t) => {
    const dispatch = generateAll(table).get("kernel/generated/dispatch.ts")!;
    const body = (name: string) => {
      const start = dispatch.indexOf(`function check_${name}(`);
      return dispatch.slice(start, dispatch.indexOf("\n}\n", start));
    };
    const send = body("msg_send");
    t.ok(send.includes("handles.lookup(connection, OBJECT_TYPE_CONNECTION, RIGHT_SEND)"), "the connection needs SEND");
    t.ok(send.includes("if (<u64>send + <u64>sendLength > callerLength) return ERROR_BAD_ADDRESS;"), "bounds in 64 bits");
    t.ok(send.indexOf("BAD_ADDRESS") < send.indexOf("msgSend(caller"), "checks come first");
    const sendv = body("msg_sendv");
    t.ok(sendv.includes("if (sendCount > 16) return ERROR_INVALID_ARGUMENT;"), "iovec count bounded");
    t.ok(sendv.includes("iovecsInside(callerBase + <u64>send, sendCount, callerLength)"), "every iovec buffer checked");
    t.ok(sendv.includes("if (handle != 0) {"), "the transferred handle is optional");
    const register = body("name_register");
    t.ok(register.includes("allows(callerComponent, CAPABILITY_SERVE, pathText)"), "the manifest must allow serving the name");
    const declared = structuredClone(table);
    declared.calls.push(unimplemented());
    const declaredDispatch = generateAll(declared).get("kernel/generated/dispatch.ts")!;
    const start = declaredDispatch.indexOf("function check_interrupt_declared(");
    t.ok(declaredDispatch.slice(start, declaredDispatch.indexOf("\n}\n", start)).includes("return ERROR_NOT_SUPPORTED;"), "unimplemented calls refuse");
    t.ok(body("port_read").includes("return <i64>ERROR_ACCESS_DENIED;"), "i64 results carry errors as i64");
    t.ok(dispatch.includes("export function delos_msg_send(connection: i32, send: u32, sendLength: u32, reply: u32, replyLength: u32): i32 {"),
      "the export has the import's wasm signature");
    t.ok(dispatch.includes(`defineSystemCall("name_open", "iiI", "i", delos_name_open.index, "open");`), "the loader gets the wasm types and the capability");
    t.ok(body("memory_map").includes("memoryMap(caller, memoryEntry, address, length, flags)"), "memory.map checks WRITE itself: it gets the entry");
  });

  test("the bindings: raw imports of module delos, wrappers named after the entries, string arguments encoded", (t) => {
    const files = generateAll(table);
    const imports = files.get("ipc/generated/imports.ts")!;
    t.ok(imports.includes(`@external("delos", "msg_send") export declare function delos_msg_send(connection: i32, send: u32, sendLength: u32, reply: u32, replyLength: u32): i32;`));
    const system = files.get("ipc/generated/system.ts")!;
    for (const c of table.calls) t.ok(system.includes(`export function ${camel(c.name)}(`), `binding ${camel(c.name)}`);
    t.ok(system.includes("const pathBytes = String.UTF8.encode(path);"), "strings are encoded as UTF-8");
    const abi = files.get("ipc/generated/abi.ts")!;
    t.ok(abi.includes("export const ERROR_DEAD_SERVER: i32 = -10;"), "errors are negative");
    t.ok(abi.includes("@unmanaged export class ReceiveInfo {"), "records are views");
  });

  test("the server side: a handler per request with the fields as arguments, size checks and reply lengths in the dispatch", (t) => {
    const files = generateAll(table);
    const echo = files.get("ipc/generated/servers/test-echo.ts")!;
    t.ok(echo.includes("export abstract class TestEchoHandlers extends Handlers {"), "a handler class per protocol");
    t.ok(echo.includes("abstract echo(sequence: u32, data: usize, dataLength: u32, reply: TestEchoEchoReply): i32;"), "a tail as address and length, the reply's view last");
    t.ok(echo.includes("if (length < TEST_ECHO_ECHO_REQUEST_SIZE) return ERROR_INVALID_ARGUMENT;")
      && echo.includes("if (length > capacity) return ERROR_TOO_LARGE;"), "a request with a tail: bounded below by its fixed part and above by the buffer");
    t.ok(echo.includes("if (length != TEST_ECHO_SQUARE_REQUEST_SIZE) return ERROR_INVALID_ARGUMENT;"), "a request without a tail: exactly its size");
    t.ok(echo.includes("return result < 0 ? result : <i32>(TEST_ECHO_ECHO_REPLY_SIZE + <u32>result);"), "the reply's length: the fixed part and the tail the handler wrote");
    t.ok(echo.includes("export const TEST_ECHO_REQUESTS: StaticArray<u32> = [1, 8, 1, 2, 8, 0];"), "the requests with their sizes, for tests");
    const shared = files.get("ipc/generated/servers/test-shared.ts")!;
    t.ok(shared.includes("abstract fill(length: u32, seed: u32, memory: Handle, reply: TestSharedFillReply): i32;"), "a transferred handle as an argument");
    t.ok(shared.includes("handlers.info.handle = 0;"), "a handle given to its handler is not closed by the loop");
    const store = files.get("ipc/generated/servers/test-store.ts")!;
    t.ok(store.includes("abstract put(slot: u32, value: u64): i32;"), "no reply view when the reply has no fields");
    for (const protocol of table.protocols) t.ok(files.has(`ipc/generated/servers/${protocol.name.replace(/\./g, "-")}.ts`), `a server side for ${protocol.name}`);
    const broken = structuredClone(table);
    broken.protocols[0].messages[0].name = "pulse";
    broken.protocols.find((protocol) => protocol.name === "test.echo")!.messages[0]!.request.push({ name: "dataLength", type: "u32", doc: "" });
    let message = "";
    try { checkTable(broken); } catch (error) { message = String(error); }
    t.ok(message.includes("the generated server's handlers have a member of that name"), "reports a handler named like a member of Handlers");
    t.ok(message.includes("its handler would have two parameters dataLength"), "reports a field that clashes with a tail's length");
  });

  test("a component folder's protocol: its files in the folder's generated/, the server side importing ipc/ from there, nothing in ipc/generated", (t) => {
    const folder: FolderProtocols = { folder: "drivers/beeper", file: "drivers/beeper/protocol.ts", protocols: [folderProtocol("beeper", "/dev/beeper")] };
    const files = generateAll(table, [folder]);
    const own = [...files.keys()].filter((path) => path.startsWith("drivers/beeper/")).sort();
    t.eq(own, ["drivers/beeper/generated/protocols.md", "drivers/beeper/generated/protocols/beeper.ts", "drivers/beeper/generated/servers/beeper.ts"], "three files, in the folder");
    t.eq([...files.keys()].filter((path) => !path.startsWith("drivers/")), [...generateAll(table).keys()], "the table's files are the same ones");
    t.ok([...files].every(([path, text]) => path.startsWith("drivers/") || !text.includes("beeper")), "nothing outside the folder names it");
    const server = files.get("drivers/beeper/generated/servers/beeper.ts")!;
    t.ok(server.includes(`import { Handlers, serveRequests } from "../../../../ipc/client/serve";`), "the loop from ipc/client");
    t.ok(server.includes(`import { ERROR_INVALID_ARGUMENT, ERROR_TOO_LARGE } from "../../../../ipc/generated/abi";`), "the errors from ipc/generated");
    t.ok(server.includes(`} from "../protocols/beeper";`), "its own bindings beside it");
    t.ok(server.includes("abstract ping(value: u32, text: usize, textLength: u32, reply: BeeperPingReply): i32;"), "a handler as the table's protocols get");
    t.ok(server.includes("Generated by ipc/generator from drivers/beeper/protocol.ts"), "the banner names the declaration");
    const bindings = files.get("drivers/beeper/generated/protocols/beeper.ts")!;
    t.ok(bindings.includes(`export const BEEPER_PATH = "/dev/beeper";`) && bindings.includes("export const BEEPER_ERROR_BUSY: i32 = -256;"), "path and errors");
    const nested = generateAll(table, [{ ...folder, folder: "desktop/apps/beeper", file: "desktop/apps/beeper/protocol.ts" }]);
    t.ok(nested.get("desktop/apps/beeper/generated/servers/beeper.ts")!.includes(`from "../../../../../ipc/client/serve";`), "the paths follow the folder's depth");
  });

  test("a component folder's protocol that clashes with the table's or another folder's is refused, naming both places", (t) => {
    const at = (folder: string, ...protocols: Protocol[]): FolderProtocols => ({ folder, file: `${folder}/protocol.ts`, protocols });
    t.ok(folderProblems([at("drivers/keys", folderProtocol("input", "/dev/keys"))])
      .includes("protocol input: declared twice, in the table (ipc/table/protocols) and in drivers/keys/protocol.ts"), "a table protocol's name");
    t.ok(folderProblems([at("servers/a", folderProtocol("shared", "/svc/a")), at("servers/b", folderProtocol("shared", "/svc/b"))])
      .includes("protocol shared: declared twice, in servers/a/protocol.ts and in servers/b/protocol.ts"), "another folder's name");
    t.ok(folderProblems([at("servers/a", folderProtocol("test_echo", "/svc/a"))])
      .includes("protocols test.echo (the table (ipc/table/protocols)) and test_echo (servers/a/protocol.ts): their bindings would have the same names (TEST_ECHO_*)"),
    "a name spelled like a table protocol's in the bindings");
    t.ok(folderProblems([at("servers/a", folderProtocol("a", "/init"))])
      .includes("protocols init (the table (ipc/table/protocols)) and a (servers/a/protocol.ts): both registered at /init"), "a table protocol's path");
    const kernelCode = folderProtocol("a", "/svc/a");
    kernelCode.errors = [{ name: "BUSY", code: 5, doc: "" }, { name: "FULL", code: 300, doc: "" }, { name: "FULLER", code: 300, doc: "" }];
    const message = folderProblems([at("servers/a", kernelCode)]);
    t.ok(message.includes("servers/a/protocol.ts: a: error BUSY has code 5, the kernel's INVALID_ARGUMENT (ipc/table/errors.ts)"), "an error code of the kernel's");
    t.ok(message.includes("servers/a/protocol.ts: a: errors FULL and FULLER both have code 300"), "an error code twice");
    const odd = folderProtocol("Odd-Name", "/svc/odd");
    odd.messages[0].name = "do it";
    t.ok(folderProblems([at("servers/odd", odd)]).includes("servers/odd/protocol.ts: protocol Odd-Name: a protocol's name is dotted lower-case words"), "a name that is no identifier");
    t.eq(folderProblems([at("servers/a", folderProtocol("a", "/svc/a")), at("servers/b", folderProtocol("b.c", "/svc/b"))]), "", "protocols of their own, no clash");
  });
}
