// Opening a file in the editor: the editor is started (component.spawn of
// apps/editor.wasm with the rights its manifest asks for, which the file
// manager holds for it), and once it serves /desktop/editor/ID it is asked
// to open the path (desktop/apps/editor/protocol.ts). The kernel gives a
// component no arguments, so this is how the editor starts "with a path".

import { errorName } from "../../../ipc/generated/index";
import { nameOpen, handleClose } from "../../../ipc/generated/system";
import { spawnGranted } from "../../../ipc/client/spawn";
import { NamedConnection } from "../../../ipc/client/named-connection";
import { EDITOR_OPEN, EDITOR_OPEN_REQUEST_SIZE, EDITOR_PATH } from "../editor/generated/protocols/editor";
import { FileOpener } from "./view";

const EDITOR_FILE = "apps/editor.wasm";
/** What the editor's manifest asks for: the file manager's grant to it. */
const EDITOR_GRANT = "kind app\nopen /desktop/window\nopen /desktop/clipboard\nopen /home\nopen /files\nread fonts/*\nserve /desktop/editor/*";
/** How long a new editor may take to serve its path (loading it may compile it). */
const START_WAIT_NANOSECONDS: i64 = 20_000_000_000;

export class EditorOpener extends FileOpener {
  open(path: string): string {
    const id = spawnGranted(EDITOR_FILE, 0, EDITOR_GRANT);
    if (id < 0) return "Cannot start the editor: " + errorName(id);
    const where = EDITOR_PATH + "/" + id.toString();
    // The editor registers its path once running: name.open waits for it.
    const probe = nameOpen(where, START_WAIT_NANOSECONDS);
    if (probe < 0) return "The editor (component " + id.toString() + ") does not answer on " + where + ": " + errorName(probe);
    handleClose(probe);
    const bytes = String.UTF8.encode(path);
    const request = heap.alloc(<usize>EDITOR_OPEN_REQUEST_SIZE + <usize>bytes.byteLength);
    store<u32>(request, EDITOR_OPEN);
    memory.copy(request + EDITOR_OPEN_REQUEST_SIZE, changetype<usize>(bytes), bytes.byteLength);
    const status = new NamedConnection(where).send(request, EDITOR_OPEN_REQUEST_SIZE + <u32>bytes.byteLength, 0, 0);
    heap.free(request);
    if (status < 0) return "The editor did not take " + path + ": " + errorName(status);
    return "Opened " + path + " in the editor";
  }
}
