// The in-OS test of the clipboard server (the test runner runs it in the
// test image, after init started the server), through the toolkit's
// client: a text written is read back; it survives the server's restart
// (the state object); the serial counts writes; the longest text goes and
// comes back whole, a longer one is refused and leaves the text as it was.

import "../../sdk/lib/abort";
import { componentExit, CLIPBOARD_MAXIMUM, CLIPBOARD_WRITE, CLIPBOARD_WRITE_REQUEST_TEXT, ERROR_TOO_LARGE } from "../../ipc/generated/index";
import { expect } from "../../sdk/lib/test";
import { InitClient } from "../system/init-client";
import { ClipboardConnection } from "../toolkit/clipboard-client";

export function _start(): void {
  const clipboard = new ClipboardConnection();
  expect(clipboard.write("copied text ✓"), "write (status " + clipboard.status.toString() + ")");
  const serial = clipboard.serial;
  expect(clipboard.read() == "copied text ✓" && clipboard.serial == serial, "read gives back the text and the same serial");

  const init = new InitClient();
  const before = init.status("clipboard");
  expect(before != null && before.component != 0, "init runs the clipboard server");
  expect(init.restart(before!.component) > 0, "init restarts it");
  expect(clipboard.read() == "copied text ✓", "the text outlives the server's restart");
  const after = init.status("clipboard");
  expect(after != null && after.component != before!.component, "a new instance answered");
  expect(clipboard.write("second") && clipboard.serial == serial + 1, "the serial counts writes across instances");

  const letters = new Uint8Array(CLIPBOARD_MAXIMUM);
  for (let i: u32 = 0; i < CLIPBOARD_MAXIMUM; i++) letters[i] = <u8>(0x61 + i % 26);
  const longest = String.UTF8.decode(letters.buffer);
  expect(clipboard.write(longest) && clipboard.read() == longest, "the longest text goes and comes back whole");

  // One byte more than the clipboard holds, sent by hand (the client cuts what it writes).
  const request = heap.alloc(CLIPBOARD_WRITE_REQUEST_TEXT + CLIPBOARD_MAXIMUM + 1);
  store<u32>(request, CLIPBOARD_WRITE);
  memory.fill(request + CLIPBOARD_WRITE_REQUEST_TEXT, 0x7a, CLIPBOARD_MAXIMUM + 1);
  const reply = heap.alloc(16);
  expect(clipboard.connection.send(request, CLIPBOARD_WRITE_REQUEST_TEXT + CLIPBOARD_MAXIMUM + 1, reply, 16) == ERROR_TOO_LARGE,
    "a text past CLIPBOARD_MAXIMUM is refused");
  expect(clipboard.read() == longest, "and the clipboard keeps what it had");
  componentExit(0);
}
