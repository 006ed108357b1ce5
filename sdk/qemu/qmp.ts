// A client for QMP, QEMU's JSON machine protocol, over a unix socket.
// QEMU sends one JSON object per line: a greeting, then replies carrying the
// id of the command they answer ("return" or "error") and asynchronous events
// ("event"). Commands may be in flight concurrently; replies are matched by id.

import { connect, type Socket } from "node:net";

export interface QmpEvent {
  event: string;
  data?: unknown;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class QmpError extends Error {}

export class Qmp {
  private buffer = "";
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: QmpEvent) => void>();
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.receive(chunk));
    socket.on("close", () => this.fail(new QmpError("QMP connection closed")));
    socket.on("error", (error) => this.fail(new QmpError(`QMP: ${error.message}`)));
  }

  /**
   * Connects to the socket QEMU listens on, retrying until `deadline` (ms since
   * epoch) while QEMU is still creating it, and negotiates capabilities.
   */
  static async connect(path: string, deadline: number, alive: () => boolean): Promise<Qmp> {
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const socket = connect(path);
          socket.once("connect", () => resolve(socket));
          socket.once("error", reject);
        });
        const qmp = new Qmp(socket);
        await qmp.greeting();
        await qmp.execute("qmp_capabilities");
        return qmp;
      } catch (error) {
        if (!alive()) throw new QmpError("QEMU exited before its QMP socket opened");
        if (Date.now() > deadline) throw new QmpError(`could not connect to QMP at ${path}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }

  private greetingWaiter: Pending | null = null;

  private greeting(): Promise<unknown> {
    return new Promise((resolve, reject) => { this.greetingWaiter = { resolve, reject }; });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.dispatch(JSON.parse(line));
    }
  }

  private dispatch(message: any): void {
    if (message.QMP && this.greetingWaiter) {
      this.greetingWaiter.resolve(message.QMP);
      this.greetingWaiter = null;
    } else if (message.event) {
      for (const listener of this.eventListeners) listener(message as QmpEvent);
    } else if (typeof message.id === "number" && this.pending.has(message.id)) {
      const waiter = this.pending.get(message.id)!;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new QmpError(`${message.error.class}: ${message.error.desc}`));
      else waiter.resolve(message.return);
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.greetingWaiter?.reject(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** Runs one QMP command and resolves with its "return" value. */
  execute(command: string, args?: Record<string, unknown>): Promise<any> {
    if (this.closed) return Promise.reject(new QmpError(`QMP connection closed (running ${command})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id }) + "\n");
    });
  }

  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
