// The shell's commands. Each reads what it needs from the running system
// when it runs (system.*, init), so the shell keeps nothing between
// requests. Commands that act on components do so through init, by name,
// and on the instance running at that moment: sent again, they act on
// what is running then, never on a second instance by mistake.

import {
  channelCreate, connectionCreate, componentSelf, componentStatus, errorName, handleClose, msgReceive, threadTimeout,
  COMPONENT_STATE_EXITED, COMPONENT_STATUS_SIZE, INIT_ERROR_START_FAILED, INIT_ERROR_UNKNOWN_COMPONENT, ComponentStatus, PULSE_CODE_COMPONENT_ENDED, PULSE_SIZE,
  Pulse, RECEIVE_ID_PULSE, TIMEOUT_RECEIVE,
} from "../../ipc/generated/index";
import { spawnGranted } from "../../ipc/client/spawn";
import { NamedConnection } from "../../ipc/client/index";
import {
  INSTALL_ERROR_HAS_TABLE, INSTALL_PATH, INSTALL_START, INSTALL_START_REPLY_SIZE, INSTALL_START_REQUEST_SIZE, InstallStartReply, InstallStartRequest,
} from "../../servers/install/generated/protocols/install";
import { InitClient } from "../system/init-client";
import { installError } from "../lib/install";
import { faultName, fixed, kindName, pad, seconds, stateName } from "../system/names";
import { ComponentRecord, listComponents, readFile, readSystemInfo, systemError } from "../system/system";
import { CAT_MAXIMUM, FileCommands } from "./files";
import { BOOT, Namespace } from "./namespace";
import { Output } from "./output";
import { Session } from "./session";

/** The commands, with their one-line help, in the order `help` lists them. */
export const COMMANDS: string[] = [
  "help", "echo", "ls", "cat", "ps", "kill", "start", "restart", "replace", "mem", "uptime", "history", "clear",
  "pwd", "cd", "cp", "mv", "rm", "mkdir", "df", "sync",
  "install",
];
const HELP: string[] = [
  "help                  this list",
  "echo WORDS            print the words",
  "ls [-l] [PATH...]     list a directory of a volume, the pathname space, or the boot payload (/boot); -l: mode, size, time",
  "cat FILE...           print files of the volumes and the payload (/boot/...)",
  "ps                    the running components: state, memory, CPU, messages, restarts, last fault",
  "kill NAME             stop a component of init's list (init does not restart it)",
  "start NAME            start a component of init's list",
  "restart NAME          end a component of init's list and start a new instance",
  "replace NAME FILE     replace a component of init's list by a new version from a payload file",
  "mem                   physical memory in use and free",
  "uptime                time since boot, components, threads, processor idle",
  "history               the lines typed so far",
  "clear                 clear the screen and the scrollback",
  "pwd                   the current directory, where relative paths start",
  "cd [DIR]              change the current directory (/ without DIR)",
  "cp SOURCE TARGET      copy a file (of a volume or /boot) to a file or into a directory of a volume",
  "mv SOURCE TARGET      rename or move a file or directory, across directories of one volume",
  "rm [-r] PATH...       remove files; with -r directories and all below them",
  "mkdir DIR...          make directories",
  "df                    each mounted volume: size, used, free",
  "sync                  make every unstable write to the volumes durable",
  "COMMAND ... > FILE    the command's output to FILE, made or emptied (>> appends); synced when the command ends",
  "NAME [...]            run the program apps/NAME.wasm of the payload and wait for its end",
  "install DISK [force]  install the system on /dev/diskN (force: over a disk with a GPT); progress on COM1",
];
/** How long running a program waits for its end before the shell answers. */
const PROGRAM_WAIT: i64 = 10_000_000_000;
/** The most output a redirection writes to its file. */
const REDIRECT_MAXIMUM: i32 = 256 << 10;

/** A line split into words at spaces; "double quotes" keep spaces in a word. */
export function words(line: string): string[] {
  const result = new Array<string>();
  let word = "", inWord = false, quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c == "\"") { quoted = !quoted; inWord = true; continue; }
    if (c == " " && !quoted) {
      if (inWord) result.push(word);
      word = "";
      inWord = false;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (inWord) result.push(word);
  return result;
}

/** A payload path from what the user typed: `/boot/x` or `x`. */
export function payloadPath(path: string): string {
  return path.startsWith(BOOT + "/") ? path.substring(BOOT.length + 1) : path;
}

/** The names of the components of init's list that run now (their identities are init/NAME). */
export function initComponentNames(): string[] {
  const components = listComponents();
  const names = new Array<string>();
  if (components == null) return names;
  for (let i = 0; i < components.length; i++) {
    const identity = components[i].identity;
    if (identity.startsWith("init/") && identity.indexOf("/", 5) < 0) names.push(identity.substring(5));
  }
  return names;
}

/**
 * An action on the shell's own instance (`restart shell`), done once its
 * reply is sent: done before, it would end the instance that owes the
 * reply, and the terminal's re-sent request would act on the next one.
 */
class SelfAction {
  constructor(readonly command: string, readonly name: string, readonly component: u32, readonly path: string) {}
}

export class Commands {
  private readonly init: InitClient = new InitClient();
  /** What `runDeferred` does after the reply: an action on this very instance. */
  deferred: SelfAction | null = null;

  /** Does the action on the shell's own instance that a command left for after the reply. */
  runDeferred(): void {
    const action = this.deferred;
    if (action == null) return;
    this.deferred = null;
    const command = action.command;
    if (command == "kill") this.init.stop(action.name);
    else if (command == "restart") this.init.restart(action.component);
    else this.init.replace(action.component, action.path);
  }

  /** True (and the action kept for after the reply) when `component` is this shell. */
  private deferIfSelf(command: string, name: string, component: u32, path: string, out: Output): bool {
    if (component != <u32>componentSelf()) return false;
    this.deferred = new SelfAction(command, name, component, path);
    out.line(command + " " + name + ": component " + component.toString() + " is this shell; it acts once this reply is sent");
    return true;
  }

  /** Runs `line`, writing what it prints to `out` (or to the file of a `>` or `>>` at its end). */
  run(line: string, out: Output, session: Session): void {
    const argv = words(line);
    if (argv.length == 0) return;
    const files = new FileCommands(session);
    const redirection = redirectionOf(argv);
    if (redirection == null) this.runCommand(argv, out, session, files);
    else if (redirection.file.length == 0) out.line("shell: " + (redirection.append ? ">>" : ">") + " to which file?");
    else if (argv.length == 0) out.line("shell: which command's output to " + redirection.file + "?");
    else {
      // Plain line feeds in the file; what the command could not do still goes to the terminal.
      const captured = new Output(REDIRECT_MAXIMUM, "\n");
      this.runCommand(argv, captured, session, files);
      files.redirect(redirection.file, captured.toString(), redirection.append, out);
    }
    files.done();
  }

  private runCommand(argv: string[], out: Output, session: Session, files: FileCommands): void {
    const command = argv[0];
    if (command == "help") { for (let i = 0; i < HELP.length; i++) out.line(HELP[i]); }
    else if (command == "echo") out.line(argv.slice(1).join(" "));
    else if (command == "ls") this.ls(argv, out, files);
    else if (command == "cat") { if (argv.length < 2) out.line("cat: which file?"); for (let i = 1; i < argv.length; i++) this.cat(argv[i], out, files); }
    else if (command == "pwd") files.pwd(out);
    else if (command == "cd") files.cd(argv, out);
    else if (command == "cp") files.cp(argv, out);
    else if (command == "mv") files.mv(argv, out);
    else if (command == "rm") files.rm(argv, out);
    else if (command == "mkdir") files.mkdir(argv, out);
    else if (command == "df") files.df(out);
    else if (command == "sync") files.sync(out);
    else if (command == "ps") this.ps(out);
    else if (command == "kill" || command == "start" || command == "restart") this.control(command, argv, out);
    else if (command == "replace") this.replace(argv, out);
    else if (command == "mem") this.mem(out);
    else if (command == "uptime") this.uptime(out);
    else if (command == "history") { for (let i = 0; i < session.history.length; i++) out.line(pad((i + 1).toString(), 4) + "  " + session.history[i]); }
    else if (command == "clear") out.raw("\x1b[H\x1b[2J\x1b[3J");
    else if (command == "install") this.install(argv, out);
    else this.program(command, out);
  }

  private ls(argv: string[], out: Output, files: FileCommands): void {
    let long = false;
    const paths = new Array<string>();
    for (let i = 1; i < argv.length; i++) { if (argv[i] == "-l") long = true; else paths.push(argv[i]); }
    if (paths.length == 0) paths.push(".");
    for (let i = 0; i < paths.length; i++) {
      if (paths.length > 1) out.line(files.absolute(paths[i]) + ":");
      const volume = files.volume(files.absolute(paths[i]));
      if (volume != null) files.lsVolume(volume, long, out);
      else this.lsNamespace(paths[i], files.absolute(paths[i]), out);
    }
  }

  private lsNamespace(path: string, folder: string, out: Output): void {
    const namespace = new Namespace();
    const file = namespace.file(folder);
    if (file != null) { out.line(pad(file.size.toString(), 8) + "  " + folder); return; }
    if (namespace.isName(folder)) { out.line(folder + "  (a server's name)"); return; }
    const entries = namespace.list(folder);
    if (entries == null) { out.line("ls: " + path + ": no such name or file"); return; }
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const size = entry.isFile ? entry.size.toString() : entry.isFolder ? "" : "name";
      out.line(pad(size, 8) + "  " + entry.name + (entry.isFolder ? "/" : ""));
    }
  }

  private cat(typed: string, out: Output, files: FileCommands): void {
    const path = files.absolute(typed);
    const volume = files.volume(path);
    let bytes: Uint8Array | null = null;
    if (volume != null) {
      bytes = files.catVolume(volume, out);
      if (bytes == null) return;
    } else {
      const namespace = new Namespace();
      if (namespace.file(path) == null) {
        out.line("cat: " + path + (namespace.isName(path) ? ": a server's name, not a file" : ": no such file (payload files are under /boot)"));
        return;
      }
      bytes = readFile(payloadPath(path), 0, CAT_MAXIMUM + 1);
      if (bytes == null) { out.line("cat: " + path + ": " + errorName(systemError)); return; }
    }
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) { out.line("cat: " + path + ": binary, not shown"); return; }
    }
    const shown = min(bytes.length, <i32>CAT_MAXIMUM);
    const text = String.UTF8.decodeUnsafe(bytes.dataStart, <usize>shown);
    out.text(text);
    if (!text.endsWith("\n") && text.length > 0) out.text("\n");
    if (bytes.length > <i32>CAT_MAXIMUM) out.line("[cat: only the first " + CAT_MAXIMUM.toString() + " bytes]");
  }

  private ps(out: Output): void {
    const components = listComponents();
    if (components == null) { out.line("ps: " + errorName(systemError)); return; }
    out.line("   ID  SUP KIND       STATE    THR   MEM KiB    CPU s    MSGS  RST LAST FAULT   NAME");
    for (let i = 0; i < components.length; i++) out.line(psLine(components[i]));
  }

  private control(command: string, argv: string[], out: Output): void {
    if (argv.length != 2) { out.line(command + ": which component? (" + command + " NAME)"); return; }
    const name = argv[1];
    const init = this.init;
    const status = init.status(name);
    if (status == null) { out.line(command + ": " + name + ": " + initError(init.error)); return; }
    if (command != "start" && status.component != 0 && this.deferIfSelf(command, name, status.component, "", out)) return;
    if (command == "kill") {
      if (status.component == 0) { out.line("kill: " + name + " is not running"); return; }
      const result = init.stop(name);
      out.line(result < 0 ? "kill: " + name + ": " + initError(result) : "stopped " + name + " (component " + status.component.toString() + ")");
    } else if (command == "start") {
      const result = init.start(name);
      out.line(result < 0 ? "start: " + name + ": " + initError(result) : name + " runs as component " + result.toString());
    } else {
      if (status.component == 0) { out.line("restart: " + name + " is not running (start it)"); return; }
      const result = init.restart(status.component);
      out.line(result < 0 ? "restart: " + name + ": " + initError(result)
        : "restarted " + name + ": component " + status.component.toString() + " -> " + result.toString());
    }
  }

  private replace(argv: string[], out: Output): void {
    if (argv.length != 3) { out.line("replace: replace NAME FILE"); return; }
    const name = argv[1], path = payloadPath(argv[2]);
    const init = this.init;
    const status = init.status(name);
    if (status == null) { out.line("replace: " + name + ": " + initError(init.error)); return; }
    if (status.component == 0) { out.line("replace: " + name + " is not running"); return; }
    if (this.deferIfSelf("replace", name, status.component, path, out)) return;
    const result = init.replace(status.component, path);
    out.line(result < 0 ? "replace: " + name + ": " + initError(result)
      : "replaced " + name + ": component " + status.component.toString() + " -> " + result.toString() + " (" + path + ")");
  }

  private mem(out: Output): void {
    const info = readSystemInfo();
    if (info == null) { out.line("mem: " + errorName(systemError)); return; }
    const used = info.framesUsed, free = info.framesFree;
    out.line("memory: " + fixed(used * 4 * 100 / 1024, 2) + " MiB in use, " + fixed(free * 4 * 100 / 1024, 2) + " MiB free ("
      + used.toString() + " and " + free.toString() + " frames of 4 KiB)");
    const components = listComponents();
    if (components == null) return;
    let total: u64 = 0;
    for (let i = 0; i < components.length; i++) total += components[i].memoryKiB;
    out.line("components: " + total.toString() + " KiB of linear memory and objects in " + components.length.toString() + " components");
  }

  private uptime(out: Output): void {
    const info = readSystemInfo();
    if (info == null) { out.line("uptime: " + errorName(systemError)); return; }
    const idle = info.ticks == 0 ? 0 : info.idleTicks * 1000 / info.ticks;
    out.line("up " + seconds(info.uptime) + " s, " + info.components.toString() + " components, " + info.threads.toString()
      + " threads, processor idle " + fixed(idle, 1) + "% of the time");
  }

  /** Runs apps/NAME.wasm with the shell as its supervisor and waits (PROGRAM_WAIT at most) for its end. */
  private program(name: string, out: Output): void {
    const path = "apps/" + name + ".wasm";
    if (new Namespace().file(BOOT + "/" + path) == null) { out.line(name + ": no such command or program (help lists the commands)"); return; }
    const channel = channelCreate(0);
    const notices = channel < 0 ? channel : connectionCreate(channel);
    if (notices < 0) { out.line(name + ": " + errorName(notices)); if (channel > 0) handleClose(channel); return; }
    const id = spawnGranted(path, notices, "kind app");
    if (id < 0) { out.line(name + ": cannot start " + path + ": " + errorName(id)); }
    else {
      const pulse = changetype<Pulse>(heap.alloc(PULSE_SIZE));
      let ended = false;
      while (!ended) {
        threadTimeout(TIMEOUT_RECEIVE, PROGRAM_WAIT);
        const received = msgReceive(channel, changetype<usize>(pulse), PULSE_SIZE, 0);
        if (received < 0) break;
        ended = received == RECEIVE_ID_PULSE && pulse.code == PULSE_CODE_COMPONENT_ENDED && pulse.value == <i64>id;
      }
      heap.free(changetype<usize>(pulse));
      out.line(ended ? name + ": " + endedHow(<u32>id) : name + ": still running as component " + id.toString());
    }
    handleClose(notices);
    handleClose(channel);
  }

  /** Asks the installer (servers/install) to install the system on a disk; it answers once the disk passed its checks and tells its progress on COM1. */
  private install(argv: string[], out: Output): void {
    if (argv.length < 2 || argv.length > 3 || (argv.length == 3 && argv[2] != "force")) { out.line("install: install /dev/diskN [force]"); return; }
    const disk = argv[1];
    const bytes = String.UTF8.encode(disk);
    const request = heap.alloc(INSTALL_START_REQUEST_SIZE + <usize>bytes.byteLength);
    const reply = heap.alloc(INSTALL_START_REPLY_SIZE);
    const start = changetype<InstallStartRequest>(request);
    start.operation = INSTALL_START;
    start.force = argv.length == 3 ? 1 : 0;
    memory.copy(request + INSTALL_START_REQUEST_SIZE, changetype<usize>(bytes), <usize>bytes.byteLength);
    const status = new NamedConnection(INSTALL_PATH).send(request, INSTALL_START_REQUEST_SIZE + <u32>bytes.byteLength, reply, INSTALL_START_REPLY_SIZE);
    if (status >= 0) {
      const answer = changetype<InstallStartReply>(reply);
      out.line("install: installing on " + disk + " (" + (answer.sectors / 2048).toString() + " MiB, home " + (answer.homeSectors / 2048).toString()
        + " MiB); the console tells its progress and `install: done`");
    } else out.line("install: " + disk + ": " + installError(status) + (status == INSTALL_ERROR_HAS_TABLE ? " (install DISK force writes over it)" : ""));
    heap.free(request);
    heap.free(reply);
  }
}


function endedHow(id: u32): string {
  const status = changetype<ComponentStatus>(heap.alloc(COMPONENT_STATUS_SIZE));
  const state = componentStatus(id, changetype<usize>(status));
  const exitStatus = status.exitStatus, trap = faultName(status.trap);
  heap.free(changetype<usize>(status));
  if (state == COMPONENT_STATE_EXITED) return "exited with status " + exitStatus.toString();
  if (state < 0) return errorName(state);
  return stateName(<u32>state) + (trap.length > 0 ? " (" + trap + ")" : "");
}

/** A `>` or `>>` and its file, taken off the end of a command's words. */
class Redirection {
  constructor(readonly file: string, readonly append: bool) {}
}

/** The redirection at the end of `argv` (`> FILE`, `>FILE`, `>> FILE`, `>>FILE`), removed from it; null when there is none. */
export function redirectionOf(argv: string[]): Redirection | null {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith(">")) continue;
    const append = word.startsWith(">>");
    let file = word.substring(append ? 2 : 1);
    let taken = 1;
    if (file.length == 0 && i + 1 < argv.length) { file = argv[i + 1]; taken = 2; }
    argv.splice(i, taken);
    return new Redirection(file, append);
  }
  return null;
}

function initError(error: i32): string {
  if (error == INIT_ERROR_UNKNOWN_COMPONENT) return "not one of init's components";
  if (error == INIT_ERROR_START_FAILED) return "init could not start it";
  return errorName(error);
}

/** One row of `ps`. */
export function psLine(c: ComponentRecord): string {
  const fault = faultName(c.lastTrap);
  return pad(c.id.toString(), 5) + pad(c.supervisor.toString(), 5) + " " + pad(kindName(c.kind), 10, false) + " "
    + pad(stateName(c.state), 8, false) + pad(c.threads.toString(), 4) + pad(c.memoryKiB.toString(), 10)
    + pad(seconds(c.cpuNanoseconds), 9) + pad(c.messages.toString(), 8) + pad(c.restarts.toString(), 5) + " "
    + pad(fault.length > 12 ? fault.substring(0, 12) : fault, 12, false) + " " + c.identity;
}
