// The PCI bus server (/dev/pci, ipc/table/protocols/devices.ts): a driver
// asks for its device by vendor, device and index, and gets its
// configuration page (read-only), its memory BARs and its interrupt line as
// handles, after the kernel confirmed that the driver's supervisor granted
// it that device (msg.check_device). It keeps nothing of its clients; what
// it knows of the bus is in its state object (enumeration.ts), so a
// restarted instance answers a re-sent request as the last one would have.
//
// Interrupts: INTx only. On q35 the ICH9 routes pin P of a device in slot S
// of bus 0 to PIRQ (S + P - 1) mod 4 + 4 (E-H) for slots below 25, and
// to PIRQ P - 1 (A-D) for the chipset's slots 25-31 (their reset
// routing); PIRQ n reaches the I/O APIC at GSI 16 + n. Behind a bridge the
// pin is swizzled by the slot at each level (PCI-to-PCI bridge
// specification) until it reaches bus 0. Without AML the kernel cannot read
// _PRT, so the routing is this chipset's; other machines need their own.

import "../../sdk/lib/abort";
import {
  Handle, handleClose, interruptAttach, memoryDevice, msgBusMaster, msgCheckDevice, msgGrant, RIGHT_CONTROL, RIGHT_DUPLICATE,
  RIGHT_MAP, RIGHT_TRANSFER, RIGHT_WRITE, ERROR_INVALID_ARGUMENT, ERROR_NOT_SUPPORTED, PCI_PATH,
  PCI_ENABLE_BUS_MASTER, PCI_ERROR_NO_DEVICE, PCI_ERROR_NOT_ENUMERATED, PciBarReply, PciConfigReply, PciFindReply,
  PciInterruptReply, PULSE_CODE_MAXIMUM,
} from "../../ipc/generated/index";
import { PciHandlers, servePci } from "../../ipc/generated/servers/pci";
import { Server } from "../../ipc/client/index";
import { log } from "../../sdk/lib/log";
import { Bus, COMMAND, COMMAND_INTERRUPT_DISABLE, COMMAND_MEMORY, FunctionRecord } from "./enumeration";

const BUFFER_SIZE: u32 = 64;
const PAGE: u32 = 4096;
const GSI_PIRQ_A: u32 = 16;

const bus = new Bus();
let enumerated = false;

function hex4(value: u32): string {
  const text = (value & 0xffff).toString(16);
  return "0000".substring(text.length) + text;
}

/** The GSI a function's INTx pin reaches (above), 0 when it has no pin. */
export function interruptLine(record: FunctionRecord): u32 {
  if (record.pin < 1 || record.pin > 4) return 0;
  let location = record.location;
  let pin = record.pin - 1;
  // Up to bus 0 through the bridges: the pin turns by the slot at each level.
  let parent = parentBridge(location);
  while ((location >> 8) != 0 && parent != null) {
    pin = (pin + ((location >> 3) & 31)) % 4;
    location = parent.location;
    parent = parentBridge(location);
  }
  const slot = (location >> 3) & 31;
  const pirq = slot >= 25 ? pin : (slot + pin) % 4 + 4;
  return GSI_PIRQ_A + pirq;
}

/** The bridge whose secondary bus holds `location`, or null. */
function parentBridge(location: u32): FunctionRecord | null {
  const busNumber = location >> 8;
  if (busNumber == 0) return null;
  for (let i: u32 = 0; i < bus.count; i++) {
    const record = bus.record(i);
    const config = bus.config(record.location);
    if (config != 0 && (load<u8>(config + 0x0e) & 0x7f) == 1 && <u32>load<u8>(config + 0x19) == busNumber) return record;
  }
  return null;
}

class Pci extends PciHandlers {
  /** The function the request names, after the kernel confirmed its sender holds the device; else null with `refusal` set. */
  refusal: i32 = 0;

  lookup(vendor: u32, device: u32, index: u32): FunctionRecord | null {
    if (vendor > 0xffff || device > 0xffff) { this.refusal = ERROR_INVALID_ARGUMENT; return null; }
    const entitled = msgCheckDevice(this.receiveId, "pci " + hex4(vendor) + ":" + hex4(device));
    if (entitled < 0) { this.refusal = entitled; return null; }
    if (!enumerated) { this.refusal = PCI_ERROR_NOT_ENUMERATED; return null; }
    let seen: u32 = 0;
    for (let i: u32 = 0; i < bus.count; i++) {
      const record = bus.record(i);
      if (record.id != (vendor | device << 16)) continue;
      if (seen++ == index) return record;
    }
    this.refusal = PCI_ERROR_NO_DEVICE;
    return null;
  }

  /** Sets bits of the function's command register (and clears Interrupt Disable): the only configuration write drivers get. */
  command(record: FunctionRecord, bits: u32): i32 {
    const config = bus.config(record.location);
    if (config == 0) return PCI_ERROR_NOT_ENUMERATED;
    const command = <u32>load<u16>(config + COMMAND);
    store<u16>(config + COMMAND, <u16>((command | bits) & ~COMMAND_INTERRUPT_DISABLE));
    return 0;
  }

  /** Gives the client a handle to a device object over [base, base + bytes) with `rights`: its number, or the error. */
  grantDevice(base: u64, bytes: u32, rights: u32): i32 {
    const handle: Handle = memoryDevice(base, bytes);
    if (handle < 0) return handle;
    const granted = msgGrant(this.receiveId, handle, rights);
    handleClose(handle);
    return granted;
  }

  find(vendor: u32, device: u32, index: u32, reply: PciFindReply): i32 {
    const record = this.lookup(vendor, device, index);
    if (record == null) return this.refusal;
    reply.location = record.location;
    reply.classCode = record.classCode;
    reply.bars = record.bars;
    reply.line = interruptLine(record);
    return 0;
  }

  config(vendor: u32, device: u32, index: u32, reply: PciConfigReply): i32 {
    const record = this.lookup(vendor, device, index);
    if (record == null) return this.refusal;
    const granted = this.grantDevice(bus.configPhysical(record.location), PAGE, RIGHT_MAP);
    if (granted < 0) return granted;
    reply.handle = <u32>granted;
    return 0;
  }

  bar(vendor: u32, device: u32, index: u32, bar: u32, reply: PciBarReply): i32 {
    const record = this.lookup(vendor, device, index);
    if (record == null) return this.refusal;
    if (bar > 5 || (record.bars & (1 << bar)) == 0) return PCI_ERROR_NO_DEVICE;
    const bytes = record.barBytes(bar);
    // A BAR smaller than a page shares its page with whatever follows: not handed out.
    if (bytes < PAGE) return ERROR_NOT_SUPPORTED;
    const enabled = this.command(record, COMMAND_MEMORY);
    if (enabled < 0) return enabled;
    const granted = this.grantDevice(record.barBase(bar), bytes, RIGHT_MAP | RIGHT_WRITE | RIGHT_DUPLICATE | RIGHT_TRANSFER);
    if (granted < 0) return granted;
    reply.handle = <u32>granted;
    reply.bytes = bytes;
    return 0;
  }

  enable(vendor: u32, device: u32, index: u32, flags: u32): i32 {
    const record = this.lookup(vendor, device, index);
    if (record == null) return this.refusal;
    if ((flags & ~PCI_ENABLE_BUS_MASTER) != 0) return ERROR_INVALID_ARGUMENT;
    const enabled = this.command(record, COMMAND_MEMORY);
    if (enabled < 0 || (flags & PCI_ENABLE_BUS_MASTER) == 0) return enabled;
    // The kernel turns bus mastering on, and off again when the driver ends, before its DMA memory is freed.
    return msgBusMaster(this.receiveId, bus.configPhysical(record.location));
  }

  interrupt(vendor: u32, device: u32, index: u32, code: u32, connection: Handle, reply: PciInterruptReply): i32 {
    const record = this.lookup(vendor, device, index);
    let status = record == null ? this.refusal : 0;
    const line = record == null ? 0 : interruptLine(record);
    if (status == 0 && (connection <= 0 || code > <u32>PULSE_CODE_MAXIMUM)) status = ERROR_INVALID_ARGUMENT;
    if (status == 0 && line == 0) status = PCI_ERROR_NO_DEVICE;
    if (status == 0) {
      const interrupt = interruptAttach(line, connection, <i32>code);
      status = interrupt;
      if (interrupt >= 0) {
        status = msgGrant(this.receiveId, interrupt, RIGHT_CONTROL);
        // The driver's handle is the line's only one from here on: its end frees the line.
        handleClose(interrupt);
      }
    }
    if (connection > 0) handleClose(connection);
    if (status < 0) return status;
    reply.handle = <u32>status;
    reply.line = line;
    return 0;
  }
}

export function _start(): void {
  enumerated = bus.open();
  if (!enumerated) log("cannot enumerate: " + bus.problem);
  const server = new Server(PCI_PATH);
  if (!server.isServing) { log("cannot serve " + PCI_PATH + ": error " + server.error.toString()); return; }
  log("serving " + PCI_PATH);
  servePci(new Pci(), server.channel, BUFFER_SIZE);
}
