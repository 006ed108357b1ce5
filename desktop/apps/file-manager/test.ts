// The file manager's in-OS test, on the test boot's file server (/files on
// the volume of /dev/disk1): the browser and the view as the window drives
// them, with no window — a folder made, entered, a file in it listed with
// its size, up again, the folder renamed, a delete asked and cancelled,
// then confirmed through the dialog's keys, each checked against a fresh
// listing of the volume; refused names and a delete of a folder that is
// not empty say why. Opening a file goes to the opener (recorded here; the
// desktop test opens one in a real editor). The dates: a known day and the
// time-since-boot form.

import "../../../sdk/lib/abort";
import { componentExit, FILES_TYPE_DIRECTORY } from "../../../ipc/generated/index";
import { expect } from "../../../sdk/lib/test";
import { FilesClient } from "../../../sdk/lib/files";
import { Surface } from "../../lib/surface";
import { readFontFile } from "../../lib/font-file";
import { MemoryClipboard } from "../../toolkit/clipboard";
import { KEY_ENTER, KEY_ESCAPE, KEY_TAB, Key } from "../../toolkit/keys";
import { Root } from "../../toolkit/root";
import { Theme } from "../../toolkit/theme";
import { filesServer } from "../../lib/home";
import { civilFromDays } from "../../../sdk/lib/calendar";
import { Browser, formatSize, formatTime } from "./browser";
import { FileManagerView, FileOpener } from "./view";

const FOLDER = "manager-test";

class RecordingOpener extends FileOpener {
  opened: string[] = [];
  open(path: string): string { this.opened.push(path); return "opened " + path; }
}

function names(browser: Browser): string {
  let text = "";
  for (let i = 0; i < browser.entries.length; i++) text += (i > 0 ? "," : "") + browser.entries[i].name;
  return text;
}

/** Whether a fresh listing of `/` holds `name` (of `kind`: 0 any). */
function listed(files: FilesClient, name: string): bool {
  const entries = files.list(files.root()!)!;
  for (let i = 0; i < entries.length; i++) if (entries[i].name == name) return true;
  return false;
}

export function _start(): void {
  const date = civilFromDays(20428);
  expect(date[0] == 2025 && date[1] == 12 && date[2] == 6, "day 20428 is 2025-12-06");
  expect(civilFromDays(-1)[0] == 1969 && civilFromDays(11016)[1] == 2 && civilFromDays(11016)[2] == 29, "1969, and 2000-02-29");
  expect(formatTime(1_764_979_200 * 1_000_000_000 + 3_723_000_000_000) == "2025-12-06 01:02", "a wall-clock time: " + formatTime(1_764_979_200 * 1_000_000_000 + 3_723_000_000_000));
  expect(formatTime(3_723_000_000_000) == "boot+1h02m", "a time since boot: " + formatTime(3_723_000_000_000));
  expect(formatSize(12) == "12 B" && formatSize(1536) == "1.5 KiB" && formatSize(5 << 20) == "5.0 MiB", "sizes: " + formatSize(1536));

  const font = readFontFile("fonts/mono-14.atlas");
  expect(font != null, "the font");
  const files = new FilesClient(filesServer());
  const browser = new Browser(files);
  const opener = new RecordingOpener();
  const root = new Root(Surface.allocate(720, 420), new Theme(font!), new MemoryClipboard());
  const view = new FileManagerView(root, browser, opener);
  expect(view.refresh() && browser.folder == "/", "the top folder listed: " + names(browser));
  const before = browser.entries.length;

  view.name.setText(FOLDER);
  expect(view.makeFolder() && listed(files, FOLDER), "New folder: " + view.status.text);
  expect(browser.entries.length == before + 1 && view.selected!.name == FOLDER && view.selected!.kind == FILES_TYPE_DIRECTORY,
    "listed and selected: " + names(browser));
  expect(browser.entries[0].isFolder, "folders first");
  expect(!view.makeFolder() && view.status.text.includes("EXISTS"), "the same name again: " + view.status.text);
  view.name.setText("a/b");
  expect(!view.makeFolder() && view.status.text.includes("without /"), "a name with a slash: " + view.status.text);

  // Into the folder (Enter on its row), a file made there shows with its size, then up (Backspace).
  root.giveFocus(view.table);
  root.keyPressed(new Key(KEY_ENTER, 0));
  expect(browser.folder == "/" + FOLDER && browser.entries.length == 0 && view.location.text == "/" + FOLDER, "entered: " + view.status.text);
  const note = files.create(files.resolve("/" + FOLDER)!, "note.txt");
  const twelve = String.UTF8.encode("twelve bytes");
  expect(note != null && files.write(note, 0, changetype<usize>(twelve), 12, true) == 12, "a file in it");
  expect(view.refresh() && names(browser) == "note.txt" && browser.entries[0].size == 12, "Refresh lists it with its size");
  expect(view.table.items[0] == "note.txt\t12 B\t" + formatTime(browser.entries[0].modified) + "\tfile", "its row: " + view.table.items[0]);
  root.keyPressed(new Key(KEY_ENTER, 0));
  expect(opener.opened.length == 1 && opener.opened[0] == "/" + FOLDER + "/note.txt", "Enter on a file opens it in the editor");
  expect(view.shortcut(new Key(0x2a, 0)) && browser.folder == "/", "Backspace goes up");
  expect(view.selected!.name == FOLDER, "the folder is selected again");

  view.name.setText(FOLDER + "-renamed");
  expect(view.rename() && listed(files, FOLDER + "-renamed") && !listed(files, FOLDER), "Rename: " + view.status.text);
  expect(view.selected!.name == FOLDER + "-renamed", "the renamed folder stays selected");

  // Delete asks; Escape keeps it; a folder that is not empty is refused; emptied, Delete and Enter remove it.
  expect(view.askDelete() && view.confirm != null && view.confirm!.isOpen, "Delete opens the confirmation");
  root.keyPressed(new Key(KEY_ESCAPE, 0));
  expect(view.confirm == null && listed(files, FOLDER + "-renamed") && view.status.text.startsWith("Kept"), "Escape keeps it: " + view.status.text);
  view.askDelete();
  root.keyPressed(new Key(KEY_ENTER, 0));
  expect(listed(files, FOLDER + "-renamed") && view.status.text.includes("NOT_EMPTY"), "a folder with a file is not deleted: " + view.status.text);
  expect(browser.enter(FOLDER + "-renamed") && browser.remove("note.txt") && browser.up(), "emptied");
  view.show(FOLDER + "-renamed");
  view.askDelete();
  root.keyPressed(new Key(KEY_TAB, 0));
  root.keyPressed(new Key(KEY_TAB, 0));
  root.keyPressed(new Key(KEY_ENTER, 0));
  expect(!listed(files, FOLDER + "-renamed") && browser.entries.length == before, "Delete chosen: gone (" + view.status.text + ")");
  expect(browser.up() == false && browser.problem.includes("top"), "no folder above the top");
  componentExit(0);
}
