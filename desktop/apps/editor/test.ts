// The editor's in-OS test, on the test boot's file server (/files on the
// volume of /dev/disk1): the text buffer's edits, undo and redo; then the
// editor's view as the window drives it, with an in-memory clipboard and
// no window: a new file typed, saved (synced), opened again in a second
// view with the same text, the modified mark in the title coming and going,
// find selecting the next match, cut and paste, and a save after init
// restarted the file server in the middle of the session (the library
// re-sends: the editor notices nothing). A missing file and a folder are
// refused with a reason.

import "../../../sdk/lib/abort";
import { componentExit } from "../../../ipc/generated/index";
import { expect } from "../../../sdk/lib/test";
import { FilesClient } from "../../../sdk/lib/files";
import { Surface } from "../../lib/surface";
import { readFontFile } from "../../lib/font-file";
import { MemoryClipboard } from "../../toolkit/clipboard";
import { KEY_END, KEY_HOME, Key, letterKey } from "../../toolkit/keys";
import { Root } from "../../toolkit/root";
import { TextBuffer, TextPosition } from "../../toolkit/text-buffer";
import { Theme } from "../../toolkit/theme";
import { INPUT_CONTROL, INPUT_SHIFT } from "../../../ipc/generated/abi";
import { connectInit, initRestart, initStatus, initStatusReply } from "../../../tests/os/runner/init-client";
import { filesServer } from "../../lib/home";
import { TextFiles } from "./document";
import { EditorView } from "./view";

const PATH = "/editor-test.txt";

function buffer(): void {
  const text = new TextBuffer("alpha\r\nbeta\ngamma");
  expect(text.lineCount == 3 && text.line(1) == "beta", "line ends of every kind split lines");
  const start = text.revision;
  const end = text.replace(new TextPosition(0, 5), new TextPosition(2, 0), " and ");
  expect(text.text == "alpha and gamma" && end.line == 0 && end.column == 10, "a replace across lines: " + text.text);
  text.replace(new TextPosition(0, 0), new TextPosition(0, 0), "1\n2\n");
  expect(text.text == "1\n2\nalpha and gamma", "an insert of lines");
  const found = text.find("gamma", new TextPosition(0, 0));
  expect(found != null && found[0].line == 2 && found[0].column == 10, "find gives the match's place");
  const edited = text.revision;
  text.undo();
  text.undo();
  expect(text.text == "alpha\nbeta\ngamma" && text.revision == start && !text.canUndo, "undo twice: the first text, the first revision");
  text.redo();
  text.redo();
  expect(text.text == "1\n2\nalpha and gamma" && text.revision == edited && !text.canRedo, "redo twice: the edited text again");
}

function control(letter: i32): Key { return new Key(letterKey(letter), INPUT_CONTROL | <u32>letter); }

export function _start(): void {
  buffer();
  const font = readFontFile("fonts/mono-14.atlas");
  expect(font != null, "the font");
  const theme = new Theme(font!);
  const clipboard = new MemoryClipboard();
  const files = new TextFiles(new FilesClient(filesServer()));
  const root = new Root(Surface.allocate(640, 440), theme, clipboard);
  const view = new EditorView(root, files);
  expect(view.title == "untitled - Editor", "a new editor's title: " + view.title);

  view.area.insert("Delos editor test\nsecond line\nthe end");
  expect(view.modified && view.title == "*untitled - Editor", "typing marks it modified: " + view.title);
  view.path.setText(PATH);
  expect(view.shortcut(control(0x73)), "Control-S is the editor's");
  expect(!view.modified && view.title == "editor-test.txt - Editor", "saved: " + view.status.text + ", title " + view.title);
  expect(files.load(PATH) == "Delos editor test\nsecond line\nthe end", "the file holds the text");

  const other = new EditorView(new Root(Surface.allocate(640, 440), theme, clipboard), files);
  expect(other.open(PATH) && other.area.text == view.area.text && !other.modified, "a second editor opens the same text");
  other.find.setText("line");
  expect(other.findNext() && other.area.selectedText == "line" && other.area.caret.line == 1, "find selects the match: " + other.status.text);
  // Cut the second line and paste it first: Home, Shift-End, Control-X, Control-Home, Control-V.
  other.area.select(new TextPosition(1, 0), new TextPosition(1, 0));
  other.area.key(new Key(KEY_END, INPUT_SHIFT));
  other.area.key(control(0x78));
  expect(clipboard.read() == "second line", "Control-X puts the line on the clipboard");
  other.area.key(new Key(KEY_HOME, INPUT_CONTROL));
  other.area.key(control(0x76));
  expect(other.area.text == "second lineDelos editor test\n\nthe end", "Control-V pastes: " + other.area.text);

  // The file server restarted between two requests of the session.
  expect(connectInit() > 0 && initStatus("files") >= 0 && initRestart(initStatusReply.component) > 0, "init restarts the file server");
  expect(other.save() && files.load(PATH) == other.area.text, "saved across the restart: " + other.status.text);
  expect(view.open(PATH) && view.area.text == other.area.text, "the first editor opens the new text");

  expect(!view.open("/no-such-file.txt") && view.status.text.includes("NOT_FOUND"), "a missing file: " + view.status.text);
  expect(!view.open("/") && view.status.text.includes("folder"), "a folder: " + view.status.text);
  expect(view.file == PATH, "the file shown stays");
  componentExit(0);
}
