// The toolkit's clipboard on Delos: the clipboard server's protocol
// (ipc/table/protocols/desktop.ts) through a re-sending connection, so a
// text field's copy and paste reach the desktop's one clipboard, which
// outlives the app and the server's restarts.

import {
  CLIPBOARD_MAXIMUM, CLIPBOARD_PATH, CLIPBOARD_READ, CLIPBOARD_READ_REPLY_SIZE, CLIPBOARD_READ_REQUEST_SIZE, CLIPBOARD_WRITE,
  CLIPBOARD_WRITE_REPLY_SIZE, CLIPBOARD_WRITE_REQUEST_TEXT, ClipboardReadReply, ClipboardWriteReply,
} from "../../ipc/generated/index";
import { NamedConnection } from "../../ipc/client/named-connection";
import { Clipboard } from "./clipboard";

export class ClipboardConnection extends Clipboard {
  readonly connection: NamedConnection;
  private readonly buffer: usize = heap.alloc(CLIPBOARD_MAXIMUM + 64);
  /** The last request's status (0: answered), and the serial the last answer told. */
  status: i32 = 0;
  serial: u32 = 0;

  constructor(path: string = CLIPBOARD_PATH) {
    super();
    this.connection = new NamedConnection(path);
  }

  read(): string {
    store<u32>(this.buffer, CLIPBOARD_READ);
    this.status = this.connection.send(this.buffer, CLIPBOARD_READ_REQUEST_SIZE, this.buffer, CLIPBOARD_MAXIMUM + 64);
    if (this.status != 0) return "";
    const reply = changetype<ClipboardReadReply>(this.buffer);
    this.serial = reply.serial;
    return String.UTF8.decodeUnsafe(reply.text, <usize>min(reply.length, CLIPBOARD_MAXIMUM));
  }

  /** Writes `text`, cut to CLIPBOARD_MAXIMUM bytes at a character's boundary. */
  write(text: string): bool {
    const bytes = String.UTF8.encode(text);
    let length = min(<u32>bytes.byteLength, CLIPBOARD_MAXIMUM);
    while (length < <u32>bytes.byteLength && length > 0 && (load<u8>(changetype<usize>(bytes) + length) & 0xc0) == 0x80) length--;
    store<u32>(this.buffer, CLIPBOARD_WRITE);
    memory.copy(this.buffer + CLIPBOARD_WRITE_REQUEST_TEXT, changetype<usize>(bytes), length);
    this.status = this.connection.send(this.buffer, CLIPBOARD_WRITE_REQUEST_TEXT + length, this.buffer, CLIPBOARD_WRITE_REPLY_SIZE);
    if (this.status != 0) return false;
    this.serial = changetype<ClipboardWriteReply>(this.buffer).serial;
    return true;
  }
}
