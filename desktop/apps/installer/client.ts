// The installer window's side of the installer's protocol
// (servers/install/protocol.ts): the disks, start and status, through one
// named connection to /install, which re-sends a request to a restarted
// installer. The installer runs on request: when /install is not
// registered, init is asked to start it, as the shell's `start install` does.

import { NamedConnection } from "../../../ipc/client/index";
import { errorName, handleClose, nameOpen } from "../../../ipc/generated/index";
import {
  INSTALL_DISK, INSTALL_DISK_REPLY_SIZE, INSTALL_DISK_REQUEST_SIZE, INSTALL_ERROR_NO_DISK, INSTALL_PATH, INSTALL_START,
  INSTALL_START_REPLY_SIZE, INSTALL_START_REQUEST_SIZE, INSTALL_STATUS, INSTALL_STATUS_REPLY_SIZE, INSTALL_STATUS_REQUEST_SIZE,
  InstallDiskReply, InstallDiskRequest, InstallStartRequest, InstallStatusReply,
} from "../../../servers/install/generated/protocols/install";
import { InitClient } from "../../system/init-client";
import { installError } from "../../lib/install";
import { Disk, InstallService, Progress } from "./view";

/** The most disks listed. */
const MAX_DISKS: u32 = 16;
/** Room for a status reply's message. */
const MESSAGE_ROOM: u32 = 480;
/** How long the first resolution of /install waits for the installer init starts. */
const START_WAIT: i64 = 5_000_000_000;


export class InstallerConnection extends InstallService {
  private readonly connection: NamedConnection = new NamedConnection(INSTALL_PATH);
  private readonly buffer: usize = heap.alloc(<usize>(INSTALL_STATUS_REPLY_SIZE + MESSAGE_ROOM + 64));

  /** Asks init to start the installer unless /install answers: "" when it runs, else why not. */
  private ensureRunning(): string {
    const probe = nameOpen(INSTALL_PATH, 0);
    if (probe > 0) { handleClose(probe); return ""; }
    const init = new InitClient();
    const started = init.start("install");
    if (started < 0) return "cannot start the installer: " + errorName(started);
    this.connection.resolveTimeout = START_WAIT;
    return "";
  }

  disks(): Disk[] | null {
    const why = this.ensureRunning();
    if (why.length > 0) { this.problem = why; return null; }
    const disks = new Array<Disk>();
    for (let index: u32 = 0; index < MAX_DISKS; index++) {
      const request = changetype<InstallDiskRequest>(this.buffer);
      request.operation = INSTALL_DISK;
      request.index = index;
      const status = this.connection.send(this.buffer, INSTALL_DISK_REQUEST_SIZE, this.buffer, INSTALL_DISK_REPLY_SIZE);
      if (status == INSTALL_ERROR_NO_DISK) break;
      if (status < 0) { this.problem = "cannot list the disks: " + installError(status); return null; }
      const reply = changetype<InstallDiskReply>(this.buffer);
      disks.push(new Disk("/dev/disk" + index.toString(), reply.sectors, reply.flags));
    }
    return disks;
  }

  start(disk: string, force: bool): i32 {
    const why = this.ensureRunning();
    if (why.length > 0) { this.problem = why; return -1; }
    const bytes = String.UTF8.encode(disk);
    const request = changetype<InstallStartRequest>(this.buffer);
    request.operation = INSTALL_START;
    request.force = force ? 1 : 0;
    memory.copy(this.buffer + INSTALL_START_REQUEST_SIZE, changetype<usize>(bytes), <usize>bytes.byteLength);
    const status = this.connection.send(this.buffer, INSTALL_START_REQUEST_SIZE + <u32>bytes.byteLength, this.buffer, INSTALL_START_REPLY_SIZE);
    if (status < 0) this.problem = installError(status);
    return status;
  }

  status(into: Progress): bool {
    store<u32>(this.buffer, INSTALL_STATUS);
    const status = this.connection.send(this.buffer, INSTALL_STATUS_REQUEST_SIZE, this.buffer, INSTALL_STATUS_REPLY_SIZE + MESSAGE_ROOM);
    if (status < 0) { this.problem = "the installer does not answer: " + errorName(status); return false; }
    const reply = changetype<InstallStatusReply>(this.buffer);
    into.state = reply.state;
    into.step = reply.step;
    into.steps = reply.steps;
    into.done = reply.done;
    into.total = reply.total;
    into.message = String.UTF8.decodeUnsafe(this.buffer + INSTALL_STATUS_REPLY_SIZE, <usize>min<u32>(reply.length, MESSAGE_ROOM));
    return true;
  }
}
