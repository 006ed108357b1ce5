// The in-OS test of the shell (the test runner runs it in the test image,
// after init started the shell): it is the shell's terminal. It sends the
// session and keys through the shell protocol, feeds every output to a
// terminal core (desktop/terminal) and checks the screen: the banner,
// echo, line editing with a key sequence cut between two requests,
// history, completion, ls, cat, ps, mem, uptime, a program run by name,
// start, replace and kill of a server through init, errors, the file
// commands on the test boot's volume (/files: cd, pwd, mkdir, > and >>,
// cat, ls -l, cp, mv, rm, df, sync, completion of relative paths, and each
// error naming its path), a malformed session, a line and a current
// directory that survive the shell's restart mid-typing, and `restart
// shell` typed at the shell itself.

import "../../sdk/lib/abort";
import {
  componentExit, SHELL_ERROR_BAD_SESSION, SHELL_INPUT, SHELL_INPUT_REPLY_SIZE, SHELL_INPUT_REQUEST_SESSION, SHELL_INPUT_REQUEST_SIZE, SHELL_SESSION_SIZE,
  ShellInputReply,
} from "../../ipc/generated/index";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { InitClient } from "../system/init-client";
import { Terminal } from "../terminal/terminal";
import { SHELL_REPLY_CAPACITY, ShellClient } from "../terminal/shell-client";

const terminal = new Terminal(100, 40, 500);
const shell = new ShellClient(terminal);

/** Types `input` at the shell, as the terminal window would send it; the output, also shown on the terminal. */
function type(input: string): string {
  const output = shell.send(input);
  expect(shell.status == 0, "shell.input of " + shown(input) + " answered (status " + shell.status.toString() + ")");
  return output;
}

function shown(text: string): string { return "\"" + text.replaceAll("\x1b", "ESC").replaceAll("\r", "\\r").replaceAll("\t", "\\t") + "\""; }

/** The screen's row `y` from the cursor's row (0: the cursor's, -1: the one above). */
function row(fromCursor: i32): string { return terminal.text(terminal.cursorY + fromCursor); }

/** Whether some row of the screen contains every one of `parts`. */
function rowWith(parts: string[]): bool {
  for (let y = 0; y < terminal.rows; y++) {
    let all = true;
    for (let i = 0; i < parts.length && all; i++) all = terminal.text(y).includes(parts[i]);
    if (all) return true;
  }
  return false;
}

function clearScreen(): void { terminal.writeString("\x1b[H\x1b[2J"); type("\x0c"); }

/** The row just above the prompt: the last line a command printed (or the command itself when it printed nothing). */
function last(): string { return row(-1); }

/** Types `line` and Enter and expects it to print nothing. */
function quiet(line: string): void {
  type(line + "\r");
  expect(last() == "delos> " + line, line + " prints nothing (" + last() + ")");
}

/** The file commands, on the file server's volume at /files (the test boot's /dev/disk1). */
function files(): void {
  const init = new InitClient();
  expect(init.start("disk") > 0 && init.start("files") > 0, "init starts the disk driver and the file server");
  clearScreen();
  type("ls /\r");
  expect(rowWith(["files/"]), "ls / shows the mount point /files as a directory");
  quiet("cd /files");
  quiet("mkdir shell-test");
  quiet("cd shell-test");
  type("pwd\r");
  expect(last() == "/files/shell-test", "pwd after cd to a relative directory (" + last() + ")");
  quiet("echo hi there > f");
  type("cat f\r");
  expect(last() == "hi there", "echo > f, then cat f (" + last() + ")");
  quiet("echo more >>f");
  type("cat /files/shell-test/f\r");
  expect(row(-2) == "hi there" && last() == "more", ">> appends (" + row(-2) + " | " + last() + ")");
  quiet("echo again > f");
  type("cat f\r");
  expect(last() == "again", "> empties the file first (" + last() + ")");
  type("ls -l\r");
  expect(last().startsWith("-rw-r--r--") && last().includes(" 6  ") && last().endsWith("  f"), "ls -l: mode, size, time, name (" + last() + ")");
  quiet("mkdir sub");
  quiet("mv f sub");
  type("ls\r");
  expect(last() == "sub/", "mv into a directory takes the file out of this one (" + last() + ")");
  type("ls sub\r");
  expect(last() == "f", "and puts it there (" + last() + ")");
  quiet("cp /boot/etc/release copy");
  quiet("mv copy sub/renamed");
  type("cat ../shell-test/sub/renamed\r");
  expect(last() == "Delos 0.1 test image", "cp from the payload, mv to a new name in another directory (" + last() + ")");
  quiet("cp sub/renamed twin");
  type("cat twin\r");
  expect(last() == "Delos 0.1 test image", "cp from the volume (" + last() + ")");
  type("ls > listing\r");
  type("cat listing\r");
  expect(row(-3) == "delos> cat listing" && row(-2) == "sub/" && last() == "twin", "ls > listing: the listing in a file, made once the command ran");
  type("cat nothing\r");
  expect(last() == "cat: /files/shell-test/nothing: no such file or directory", "cat of a missing file names it (" + last() + ")");
  type("cp nothing x\r");
  expect(last() == "cp: /files/shell-test/nothing: no such file or directory", "cp of a missing file names it (" + last() + ")");
  type("rm sub\r");
  expect(last() == "rm: /files/shell-test/sub: is a directory (rm -r removes it and all below)", "rm of a directory without -r (" + last() + ")");
  type("mkdir sub\r");
  expect(last() == "mkdir: /files/shell-test/sub: already exists", "mkdir of an existing name (" + last() + ")");
  type("cd twin\r");
  expect(last() == "cd: /files/shell-test/twin: not a directory", "cd to a file (" + last() + ")");
  type("mv twin /boot/x\r");
  expect(last() == "mv: /boot/x: not on a mounted volume (df lists them)", "mv off the volumes (" + last() + ")");
  type("echo x > /nowhere/y\r");
  expect(last() == "shell: /nowhere/y: not on a mounted volume (df lists them)", "a redirection off the volumes (" + last() + ")");
  type("cat tw\t");
  expect(row(0) == "delos> cat twin", "Tab completes a relative path on the volume (" + row(0) + ")");
  type("\x15");
  type("ls /files/shell-test/s\t");
  expect(row(0) == "delos> ls /files/shell-test/sub/", "Tab completes a directory of the volume with its slash (" + row(0) + ")");
  type("\x15");
  quiet("rm -r sub");
  quiet("rm twin listing");
  type("ls\r");
  expect(last() == "delos> ls", "rm -r and rm of two files leave the directory empty");
  quiet("sync");
  type("df\r");
  expect(rowWith(["VOLUME", "KiB", "USED", "FREE"]) && rowWith(["/files", "32768", "%", "/files"]), "df: the 32 MiB volume");
  // A file the host reads back after the boot (tests/storage/storage.test.ts).
  quiet("echo written by the shell > /files/shell-test/kept.txt");
}

/** Sends `input` with the session at `session` as a terminal would: the output; the new session left in `reply`. */
function sendWith(session: usize, input: string, reply: usize): string {
  const bytes = String.UTF8.encode(input);
  const length = SHELL_INPUT_REQUEST_SIZE + <u32>bytes.byteLength;
  const request = heap.alloc(length);
  store<u32>(request, SHELL_INPUT);
  memory.copy(request + SHELL_INPUT_REQUEST_SESSION, session, SHELL_SESSION_SIZE);
  memory.copy(request + SHELL_INPUT_REQUEST_SIZE, changetype<usize>(bytes), <usize>bytes.byteLength);
  const status = shell.connection.send(request, length, reply, SHELL_REPLY_CAPACITY);
  heap.free(request);
  expect(status == 0, "shell.input of " + shown(input) + " with a kept session answered (status " + status.toString() + ")");
  return String.UTF8.decodeUnsafe(reply + SHELL_INPUT_REPLY_SIZE, changetype<ShellInputReply>(reply).outputLength);
}

/**
 * A line sent again with the session it was first sent with, as the
 * terminal does when the shell died before its reply: the changes it made
 * the first time are not made again (no `already exists`, no `no such
 * file`), since the session carries the file client id and sequence.
 */
function resent(): void {
  const session = heap.alloc(SHELL_SESSION_SIZE);
  const reply = heap.alloc(SHELL_REPLY_CAPACITY);
  memory.fill(session, 0, SHELL_SESSION_SIZE);
  sendWith(session, "cd /files/shell-test\r", reply);
  memory.copy(session, reply, SHELL_SESSION_SIZE);
  for (let i = 0; i < 2; i++) expect(!sendWith(session, "mkdir once\r", reply).includes("mkdir:"), "mkdir sent " + (i == 0 ? "once" : "again") + " with the same session");
  memory.copy(session, reply, SHELL_SESSION_SIZE);
  sendWith(session, "echo 1 > a\r", reply);
  memory.copy(session, reply, SHELL_SESSION_SIZE);
  sendWith(session, "echo 2 > b\r", reply);
  memory.copy(session, reply, SHELL_SESSION_SIZE);
  for (let i = 0; i < 2; i++) {
    const output = sendWith(session, "mv a once\r", reply);
    expect(!output.includes("mv:"), "mv sent " + (i == 0 ? "once" : "again") + " with the same session (" + output + ")");
  }
  memory.copy(session, reply, SHELL_SESSION_SIZE);
  for (let i = 0; i < 2; i++) {
    const output = sendWith(session, "rm once/a b\r", reply);
    expect(!output.includes("rm:"), "rm of two files sent " + (i == 0 ? "once" : "again") + " with the same session (" + output + ")");
  }
  memory.copy(session, reply, SHELL_SESSION_SIZE);
  expect(sendWith(session, "ls\r", reply).includes("once/") && !sendWith(session, "ls once\r", reply).includes("a"), "once/ is there, empty");
  sendWith(session, "rm -r once\r", reply);
  heap.free(session);
  heap.free(reply);
}

export function _start(): void {
  type("");
  expect(terminal.text(0) == "Delos shell: `help` lists the commands." && terminal.text(1) == "delos>", "a new session: the banner and the prompt");

  type("echo hello world\r");
  expect(terminal.text(1) == "delos> echo hello world" && terminal.text(2) == "hello world" && row(0) == "delos>", "echo");

  // Editing, with an escape sequence cut between two requests: the session keeps its first bytes.
  type("echo abc");
  type("\x1b[");
  type("D\x1b[DX");
  expect(row(0) == "delos> echo aXbc" && terminal.cursorX == 7 + 7, "Left, Left and X insert before the cursor (" + row(0) + ")");
  type("\x01\x1b[3~");
  expect(row(0) == "delos> cho aXbc" && terminal.cursorX == 7, "Control-A, then Delete");
  type("\x05\x7f");
  expect(row(0) == "delos> cho aXb", "Control-E, then Backspace");
  type("\x17");
  expect(row(0) == "delos> cho", "Control-W cuts the word before the cursor");
  type("\x15");
  expect(row(0) == "delos>", "Control-U cuts the line");
  type("echo edi\x1b[Dx\x0b");
  expect(row(0) == "delos> echo edx", "Control-K cuts to the line's end");
  type("\x7fited\r");
  expect(row(-1) == "edited", "the edited line runs");

  // History: Up, Up, Down, and back to the line being typed.
  type("\x1b[A\x1b[A");
  expect(row(0) == "delos> echo hello world", "Up twice: the first line typed");
  type("\x1b[B");
  expect(row(0) == "delos> echo edited", "Down: the next one");
  type("\r");
  expect(row(-1) == "edited", "a line from the history runs");
  type("draft\x1b[A\x1b[B");
  expect(row(0) == "delos> draft", "Down past the newest entry gives back the line being typed");
  type("\x15");

  // Completion: a command, a path of the payload, a component name.
  type("ec\t");
  expect(row(0) == "delos> echo", "Tab completes a command");
  type("hi\r");
  expect(row(-1) == "hi", "and the completed line runs");
  type("cat /boot/etc/rel\t");
  expect(row(0) == "delos> cat /boot/etc/release", "Tab completes a payload path");
  type("\r");
  expect(row(-1) == "Delos 0.1 test image", "cat prints a payload file");
  type("restart she\t");
  expect(row(0) == "delos> restart shell", "Tab completes the name of a component of init's list");
  type("\x15");
  clearScreen();
  type("ls /\t\t");
  expect(rowWith(["boot/", "init"]), "Tab twice lists the root's entries");
  type("\x15");

  clearScreen();
  type("ls /\r");
  expect(rowWith(["boot/"]) && rowWith(["name", "init"]) && rowWith(["desktop/"]), "ls / lists the names and /boot");
  type("ls /boot/etc\r");
  expect(rowWith(["21", "release"]), "ls lists payload files with their sizes");
  type("ls /nowhere\r");
  expect(row(-1) == "ls: /nowhere: no such name or file", "ls of nothing says so");
  type("cat /boot/system/shell.wasm /init\r");
  expect(row(-2) == "cat: /boot/system/shell.wasm: binary, not shown" && row(-1) == "cat: /init: a server's name, not a file", "cat refuses binaries and names");

  clearScreen();
  type("ps\r");
  expect(rowWith(["ID", "KIND", "STATE", "MEM KiB", "CPU s", "MSGS", "RST", "NAME"]), "ps prints its header");
  expect(rowWith(["server", "running", "init/shell"]) && rowWith(["supervisor", "running", " init"]), "ps lists init and the shell");
  type("mem\r");
  expect(rowWith(["memory:", "MiB in use", "MiB free"]), "mem");
  type("uptime\r");
  expect(row(-1).startsWith("up ") && row(-1).includes("components"), "uptime (" + row(-1) + ")");

  clearScreen();
  type("greeter\r");
  expect(row(-1) == "greeter: exited with status 0", "a program runs by name and its end is told (" + row(-1) + ")");
  type("nosuch\r");
  expect(row(-1) == "nosuch: no such command or program (help lists the commands)", "an unknown command");
  // start, replace and kill through init, on the clipboard server.
  type("start clipboard\r");
  expect(row(-1).startsWith("clipboard runs as component "), "start (" + row(-1) + ")");
  const started = I32.parseInt(row(-1).substring(28));
  type("replace clipboard /boot/system/clipboard.wasm\r");
  expect(row(-1).startsWith("replaced clipboard: component " + started.toString() + " -> ") && row(-1).endsWith(" (system/clipboard.wasm)"),
    "replace (" + row(-1) + ")");
  type("kill clipboard\r");
  expect(row(-1).startsWith("stopped clipboard (component ") && row(-1) != "stopped clipboard (component " + started.toString() + ")",
    "kill stops the new instance (" + row(-1) + ")");
  type("kill clipboard\r");
  expect(row(-1) == "kill: clipboard is not running", "kill of a stopped component");
  type("start clipboard\r");
  type("kill nosuch\r");
  expect(row(-1) == "kill: nosuch: not one of init's components", "kill of an unknown component");
  type("history\r");
  expect(rowWith(["1", "echo hello world"]), "history");

  files();
  resent();

  // A session the shell did not make is refused; the shell answers the next request.
  const request = heap.alloc(SHELL_INPUT_REQUEST_SIZE);
  const reply = heap.alloc(SHELL_REPLY_CAPACITY);
  store<u32>(request, SHELL_INPUT);
  memory.fill(request + SHELL_INPUT_REQUEST_SESSION, 0xff, SHELL_SESSION_SIZE);
  expect(shell.connection.send(request, SHELL_INPUT_REQUEST_SIZE, reply, SHELL_REPLY_CAPACITY) == SHELL_ERROR_BAD_SESSION,
    "a malformed session is BAD_SESSION");

  // The shell restarted by init in the middle of a line: the line goes on where it was.
  const init = new InitClient();
  const before = init.status("shell");
  expect(before != null && before.component != 0, "init runs the shell");
  type("echo con");
  expect(init.restart(before!.component) > 0, "init restarts the shell");
  type("tinued\r");
  const after = init.status("shell");
  expect(row(-1) == "continued" && after != null && after.component != before!.component, "the line typed before the restart runs on the new instance");
  type("pwd\r");
  expect(row(-1) == "/files/shell-test", "the current directory is the session's: it survives the restart (" + row(-1) + ")");

  // `restart shell` at the shell: the reply comes first, then the restart.
  clearScreen();
  type("restart shell\r");
  expect(row(-1) == "restart shell: component " + after!.component.toString() + " is this shell; it acts once this reply is sent", "restart shell (" + row(-1) + ")");
  type("echo after\r");
  const last = init.status("shell");
  expect(row(-1) == "after" && last != null && last.component != after!.component, "the next line is served by a new instance");
  log("shell: " + shell.connection.resends.toString() + " requests sent again after a restart");
  componentExit(0);
}
