// The client library (ipc/client) in V8, against a scripted stand-in for
// the kernel: sends that fail with DEAD_SERVER are re-sent, byte for byte,
// on a fresh resolution of the same path; the dead connection is closed;
// a server that does not come back, or dies every time, is reported; a
// transferred handle goes with every attempt; a server's registration
// takes the name over (NAME_TAKE_OVER) and is retried while it is taken.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";

const ERROR_NOT_FOUND = -7;
const ERROR_ALREADY_EXISTS = -8;
const ERROR_TIMED_OUT = -9;
const ERROR_DEAD_SERVER = -10;
const NAME_TAKE_OVER = 1;

interface Send { handle: number; request: number[]; transferred?: number }

/** A kernel that answers from scripts: each msg.send takes the next outcome (a status, or DEAD_SERVER). */
class FakeKernel {
  memory!: WebAssembly.Memory;
  nextHandle = 100;
  opens: Array<{ path: string; timeout: bigint }> = [];
  closed: number[] = [];
  sends: Send[] = [];
  pulses: Array<{ handle: number; code: number; value: bigint }> = [];
  sleeps = 0;
  sendOutcomes: number[] = [];
  openOutcomes: number[] = [];
  registerOutcomes: number[] = [];
  registerFlags: number[] = [];

  private bytes(pointer: number, length: number): Uint8Array { return new Uint8Array(this.memory.buffer, pointer, length); }
  private text(pointer: number, length: number): string { return new TextDecoder().decode(this.bytes(pointer, length)); }
  private iovec(pointer: number, count: number): Array<[number, number]> {
    const view = new DataView(this.memory.buffer);
    return Array.from({ length: count }, (_, i) => [view.getUint32(pointer + 8 * i, true), view.getUint32(pointer + 8 * i + 4, true)]);
  }

  imports(): WebAssembly.Imports {
    const outcome = (list: number[], otherwise: number) => (list.length > 0 ? list.shift()! : otherwise);
    const delos = {
      name_open: (path: number, length: number, timeout: bigint) => {
        this.opens.push({ path: this.text(path, length), timeout });
        return outcome(this.openOutcomes, 0) || this.nextHandle++;
      },
      handle_close: (handle: number) => { this.closed.push(handle); return 0; },
      msg_send: (handle: number, send: number, sendLength: number, reply: number, replyLength: number) => {
        const request = [...this.bytes(send, sendLength)];
        this.sends.push({ handle, request });
        const status = outcome(this.sendOutcomes, 0);
        if (status === ERROR_DEAD_SERVER) return status;
        const answer = request.slice().reverse().slice(0, replyLength);
        this.bytes(reply, answer.length).set(answer);
        return status;
      },
      msg_sendv: (handle: number, send: number, sendCount: number, _reply: number, _replyCount: number, transferred: number) => {
        const request = this.iovec(send, sendCount).flatMap(([p, l]) => [...this.bytes(p, l)]);
        this.sends.push({ handle, request, transferred });
        return outcome(this.sendOutcomes, 0);
      },
      pulse_send: (handle: number, code: number, value: bigint) => {
        this.pulses.push({ handle, code, value });
        return outcome(this.sendOutcomes, 0);
      },
      channel_create: () => 7,
      name_register: (_path: number, _length: number, _channel: number, flags: number) => {
        this.registerFlags.push(flags);
        return outcome(this.registerOutcomes, 0);
      },
      thread_sleep: () => { this.sleeps++; return 0; },
    };
    return { delos, env: { abort: () => { throw new Error("abort"); } } };
  }
}

interface Client {
  memory: WebAssembly.Memory;
  _initialize(): void;
  connect(resendLimit: number, resolveTimeout: bigint): void;
  send(request: number, requestLength: number, reply: number, replyLength: number): number;
  sendv(request: number, requestCount: number, reply: number, replyCount: number, transferred: number): number;
  pulse(code: number, value: bigint): number;
  close(): void;
  handle(): number;
  resends(): number;
  resolutions(): number;
  serve(): number;
  allocate(bytes: number): number;
}

async function load(): Promise<{ kernel: FakeKernel; client: Client }> {
  const kernel = new FakeKernel();
  const bytes = readFileSync(join(process.cwd(), "build/tests/ipc-client.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, kernel.imports());
  const client = instance.exports as unknown as Client;
  kernel.memory = client.memory;
  client._initialize();
  return { kernel, client };
}

function put(client: Client, values: number[]): number {
  const pointer = client.allocate(values.length);
  new Uint8Array(client.memory.buffer, pointer, values.length).set(values);
  return pointer;
}

export function register(test: TestFunction): void {
  test("a send resolves the path once and returns the reply", async (t) => {
    const { kernel, client } = await load();
    client.connect(16, 5_000_000_000n);
    const request = put(client, [1, 2, 3, 4]);
    const reply = client.allocate(4);
    kernel.sendOutcomes = [7];
    t.eq(client.send(request, 4, reply, 4), 7, "the server's status");
    t.eq([...new Uint8Array(client.memory.buffer, reply, 4)], [4, 3, 2, 1], "the reply");
    t.eq(kernel.opens, [{ path: "/test/echo", timeout: 5_000_000_000n }], "one resolution of the path, with the timeout");
    t.eq(client.send(request, 4, reply, 4), 0, "a second send");
    t.eq(kernel.opens.length, 1, "reuses the connection");
    t.eq(client.resends(), 0);
  });

  test("DEAD_SERVER: the dead connection is closed, the path resolved again and the same bytes re-sent", async (t) => {
    const { kernel, client } = await load();
    client.connect(16, 1_000_000n);
    const request = put(client, [9, 8, 7]);
    const reply = client.allocate(3);
    kernel.sendOutcomes = [ERROR_DEAD_SERVER, ERROR_DEAD_SERVER, 3];
    t.eq(client.send(request, 3, reply, 3), 3, "answered as if nothing had happened");
    t.eq(kernel.sends.map((s) => s.request), [[9, 8, 7], [9, 8, 7], [9, 8, 7]], "the same request each time");
    t.eq(kernel.sends.map((s) => s.handle), [100, 101, 102], "each on a fresh connection");
    t.eq(kernel.closed, [100, 101], "the dead connections are closed");
    t.eq(kernel.opens.map((o) => o.path), ["/test/echo", "/test/echo", "/test/echo"]);
    t.eq(client.resends(), 2);
    t.eq(client.resolutions(), 3);
    t.eq(client.handle(), 102);
  });

  test("a server that does not come back: the resolution's error", async (t) => {
    const { kernel, client } = await load();
    client.connect(16, 1_000_000n);
    const request = put(client, [1]);
    kernel.sendOutcomes = [ERROR_DEAD_SERVER];
    kernel.openOutcomes = [0, ERROR_TIMED_OUT];
    t.eq(client.send(request, 1, 0, 0), ERROR_TIMED_OUT, "TIMED_OUT from name.open");
    t.eq(client.handle(), 0, "no connection left");
    kernel.openOutcomes = [ERROR_NOT_FOUND];
    t.eq(client.send(request, 1, 0, 0), ERROR_NOT_FOUND, "the next send tries again");
  });

  test("a server that dies every time: DEAD_SERVER after the re-send limit", async (t) => {
    const { kernel, client } = await load();
    client.connect(3, 1_000_000n);
    const request = put(client, [5]);
    kernel.sendOutcomes = [ERROR_DEAD_SERVER, ERROR_DEAD_SERVER, ERROR_DEAD_SERVER, ERROR_DEAD_SERVER, 0];
    t.eq(client.send(request, 1, 0, 0), ERROR_DEAD_SERVER);
    t.eq(kernel.sends.length, 4, "the first send and three re-sends");
    t.eq(client.resends(), 3);
  });

  test("vectored sends re-send their buffers and the transferred handle; pulses are re-sent too", async (t) => {
    const { kernel, client } = await load();
    client.connect(16, 1_000_000n);
    const first = put(client, [1, 2]);
    const second = put(client, [3]);
    const iovec = client.allocate(16);
    const view = new DataView(client.memory.buffer);
    view.setUint32(iovec, first, true); view.setUint32(iovec + 4, 2, true);
    view.setUint32(iovec + 8, second, true); view.setUint32(iovec + 12, 1, true);
    kernel.sendOutcomes = [ERROR_DEAD_SERVER, 0];
    t.eq(client.sendv(iovec, 2, 0, 0, 55), 0);
    t.eq(kernel.sends, [{ handle: 100, request: [1, 2, 3], transferred: 55 }, { handle: 101, request: [1, 2, 3], transferred: 55 }]);
    kernel.sendOutcomes = [ERROR_DEAD_SERVER, 0];
    t.eq(client.pulse(4, 99n), 0);
    t.eq(kernel.pulses, [{ handle: 101, code: 4, value: 99n }, { handle: 102, code: 4, value: 99n }]);
    client.close();
    t.eq(kernel.closed.at(-1), 102, "close closes the connection");
  });

  test("a server registers its channel taking the name over, retrying while a component it may not take it from holds it", async (t) => {
    const { kernel, client } = await load();
    kernel.registerOutcomes = [ERROR_ALREADY_EXISTS, ERROR_ALREADY_EXISTS, 0];
    t.eq(client.serve(), 7, "the channel");
    t.eq(kernel.sleeps, 2, "waited twice");
    t.eq(kernel.registerFlags, [NAME_TAKE_OVER, NAME_TAKE_OVER, NAME_TAKE_OVER], "each time with NAME_TAKE_OVER");
    kernel.registerOutcomes = [-5];
    t.eq(client.serve(), -5, "another error is returned at once");
    t.eq(kernel.closed, [7], "and the channel closed");
  });
}
