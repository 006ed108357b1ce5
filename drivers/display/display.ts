// The display driver (/dev/display, ipc/table/protocols/devices.ts): QEMU's
// std VGA, PCI 1234:1111. It gets its BARs from the PCI bus server — BAR 0
// the framebuffer, BAR 2 the registers, with the DISPI block (dispi.ts) —
// and serves the mode and the framebuffer to its client, the compositor.
// It keeps nothing: the mode is in the device's registers and the picture
// in the device's memory, so a new instance adopts both as they are (it
// sets a mode only when none it can serve is set), and a client's re-sent
// request gets the same answer.

import "../../sdk/lib/abort";
import {
  Handle, channelCreate, msgGrant, RIGHT_DUPLICATE, RIGHT_MAP, RIGHT_TRANSFER, RIGHT_WRITE, DISPLAY_PATH, DISPLAY_ERROR_NO_MODE,
  DisplayModeReply, DisplayModesReply, DisplaySetModeReply,
} from "../../ipc/generated/index";
import { DisplayHandlers, serveDisplay } from "../../ipc/generated/servers/display";
import { Server, awaitTakeOver } from "../../ipc/client/index";
import { log } from "../../sdk/lib/log";
import { PciDevice } from "../lib/device/pci";
import { mapFresh } from "../lib/device/map";
import { Dispi } from "./dispi";
import { MODES, modeIndex, DEFAULT_MODE } from "./modes";

const VENDOR: u32 = 0x1234;
const DEVICE: u32 = 0x1111;
const FRAMEBUFFER_BAR: u32 = 0;
const REGISTERS_BAR: u32 = 2;
const BUFFER_SIZE: u32 = 64;

class Display extends DisplayHandlers {
  constructor(readonly dispi: Dispi, readonly framebuffer: Handle, readonly framebufferBytes: u32) { super(); }

  /** Does width × height fit the framebuffer? */
  fits(width: u32, height: u32): bool { return <u64>width * height * 4 <= <u64>this.framebufferBytes; }

  mode(reply: DisplayModeReply): i32 {
    const dispi = this.dispi;
    const granted = msgGrant(this.receiveId, this.framebuffer, RIGHT_MAP | RIGHT_WRITE | RIGHT_DUPLICATE | RIGHT_TRANSFER);
    if (granted < 0) return granted;
    reply.width = dispi.width;
    reply.height = dispi.height;
    reply.pitch = dispi.pitch;
    reply.bytes = this.framebufferBytes;
    reply.handle = <u32>granted;
    return 0;
  }

  setMode(width: u32, height: u32, reply: DisplaySetModeReply): i32 {
    if (modeIndex(width, height) < 0 || !this.fits(width, height)) return DISPLAY_ERROR_NO_MODE;
    const dispi = this.dispi;
    if (!dispi.usable || dispi.width != width || dispi.height != height) {
      dispi.setMode(width, height);
      log("mode " + width.toString() + "x" + height.toString());
    }
    reply.pitch = dispi.pitch;
    return 0;
  }

  modes(index: u32, reply: DisplayModesReply): i32 {
    if (index >= <u32>(MODES.length / 2)) return DISPLAY_ERROR_NO_MODE;
    reply.width = MODES[2 * index];
    reply.height = MODES[2 * index + 1];
    reply.count = <u32>(MODES.length / 2);
    return 0;
  }
}

export function _start(): void {
  const device = new PciDevice(VENDOR, DEVICE);
  const registers = device.bar(REGISTERS_BAR);
  if (registers < 0) { log("cannot get the registers (BAR 2): error " + registers.toString()); return; }
  const registerBytes = device.barBytes;
  const framebuffer = device.bar(FRAMEBUFFER_BAR);
  if (framebuffer < 0) { log("cannot get the framebuffer (BAR 0): error " + framebuffer.toString()); return; }
  const framebufferBytes = device.barBytes;
  const mapped = mapFresh(registers, registerBytes);
  if (mapped == 0) { log("cannot map the registers"); return; }
  // Its channel is made before it stands by, its name registered after.
  const channel = channelCreate(0);
  if (channel < 0) { log("channel.create: error " + channel.toString()); return; }
  // As init's warm spare, this waits here, with the device's memory at hand, until the running instance has
  // ended: the mode it adopts is the one its predecessor left.
  awaitTakeOver();
  const dispi = new Dispi(mapped);
  if (!dispi.present) { log("no DISPI interface (id 0x" + dispi.read(0).toString(16) + ")"); return; }
  if (dispi.usable) {
    log("adopted mode " + dispi.width.toString() + "x" + dispi.height.toString() + ", " + (framebufferBytes >> 20).toString() + " MiB framebuffer");
  } else {
    dispi.setMode(MODES[2 * DEFAULT_MODE], MODES[2 * DEFAULT_MODE + 1]);
    log("set mode " + dispi.width.toString() + "x" + dispi.height.toString());
  }
  const server = new Server(DISPLAY_PATH, channel);
  if (!server.isServing) { log("cannot serve " + DISPLAY_PATH + ": error " + server.error.toString()); return; }
  log("serving " + DISPLAY_PATH);
  serveDisplay(new Display(dispi, framebuffer, framebufferBytes), server.channel, BUFFER_SIZE);
}
