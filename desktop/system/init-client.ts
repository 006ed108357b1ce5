// init's protocol from a client (ipc/table/protocols/init.ts): what the
// shell and the monitor ask of init about the components of its list.
// Every request is idempotent, so the re-sending NamedConnection may send
// one again after init restarted.

import {
  INIT_PATH, INIT_REPLACE, INIT_REPLACE_REQUEST_PATH, INIT_RESTART, INIT_RESTART_REQUEST_SIZE, INIT_START, INIT_START_REQUEST_NAME,
  INIT_STATUS, INIT_STATUS_REQUEST_NAME, INIT_STOP, INIT_STOP_REQUEST_NAME, InitStatusReply,
} from "../../ipc/generated/index";
import { NamedConnection } from "../../ipc/client/named-connection";

/** What init.status says of a component of its list. */
export class InitStatus {
  /** The running instance's id, 0 when none runs. */
  component: u32 = 0;
  starts: u32 = 0;
  trap: u32 = 0;
}

export class InitClient {
  private readonly connection: NamedConnection = new NamedConnection(INIT_PATH);
  private readonly reply: usize = heap.alloc(64);

  /** A request of `operation` with `number` at offset 4 (where the message has it) and `text` from `at`: the reply status. */
  private request(operation: u32, number: u32, text: string, at: u32): i32 {
    const bytes = String.UTF8.encode(text);
    const length = at + <u32>bytes.byteLength;
    const buffer = heap.alloc(length);
    store<u32>(buffer, operation);
    if (at >= 8) store<u32>(buffer, number, 4);
    memory.copy(buffer + <usize>at, changetype<usize>(bytes), <usize>bytes.byteLength);
    const result = this.connection.send(buffer, length, this.reply, 64);
    heap.free(buffer);
    return result;
  }

  /** init.status of `name`: its status, or null with the error in `error`. */
  status(name: string): InitStatus | null {
    const result = this.request(INIT_STATUS, 0, name, INIT_STATUS_REQUEST_NAME);
    this.error = result < 0 ? result : 0;
    if (result < 0) return null;
    const reply = changetype<InitStatusReply>(this.reply);
    const status = new InitStatus();
    status.component = reply.component;
    status.starts = reply.starts;
    status.trap = reply.trap;
    return status;
  }

  /** The last request's error (0: none). */
  error: i32 = 0;

  /** init.start: the running instance's id, or an error. */
  start(name: string): i32 { return this.answer(this.request(INIT_START, 0, name, INIT_START_REQUEST_NAME)); }
  /** init.stop: 0 or an error. */
  stop(name: string): i32 { return this.request(INIT_STOP, 0, name, INIT_STOP_REQUEST_NAME); }
  /** init.restart of instance `component`: the instance running now (0: it was not one of init's), or an error. */
  restart(component: u32): i32 { return this.answer(this.request(INIT_RESTART, component, "", INIT_RESTART_REQUEST_SIZE)); }
  /** init.replace of instance `component` by payload file `path`: the instance running now, or an error. */
  replace(component: u32, path: string): i32 { return this.answer(this.request(INIT_REPLACE, component, path, INIT_REPLACE_REQUEST_PATH)); }

  private answer(result: i32): i32 { return result < 0 ? result : <i32>load<u32>(this.reply); }
}
