// The driver's side of the pci protocol (ipc/table/protocols/devices.ts):
// one device, named by vendor, device and index, asked of the bus server
// on /dev/pci. The bus server keeps no state of its drivers, so every
// request carries the device's name, and the NamedConnection re-sends a
// request to a restarted bus server.

import {
  Handle, Iovec, IOVEC_SIZE, ERROR_INVALID_ARGUMENT, PCI_PATH, PCI_FIND, PCI_CONFIG, PCI_BAR, PCI_ENABLE, PCI_INTERRUPT,
  PCI_FIND_REQUEST_SIZE, PCI_FIND_REPLY_SIZE, PCI_CONFIG_REQUEST_SIZE, PCI_CONFIG_REPLY_SIZE, PCI_BAR_REQUEST_SIZE,
  PCI_BAR_REPLY_SIZE, PCI_ENABLE_REQUEST_SIZE, PCI_INTERRUPT_REQUEST_SIZE, PCI_INTERRUPT_REPLY_SIZE,
  PciFindRequest, PciFindReply, PciConfigRequest, PciConfigReply, PciBarRequest, PciBarReply, PciEnableRequest,
  PciInterruptRequest, PciInterruptReply,
} from "../../../ipc/generated/index";
import { NamedConnection } from "../../../ipc/client/index";

/** Room for any request or reply of the protocol. */
const MESSAGE_BYTES: u32 = 64;

/** A PCI function a driver was granted (`device pci VENDOR:DEVICE` in its rights). */
export class PciDevice {
  private readonly bus: NamedConnection = new NamedConnection(PCI_PATH);
  private readonly request: usize = heap.alloc(MESSAGE_BYTES);
  private readonly reply: usize = heap.alloc(MESSAGE_BYTES);
  private readonly iovecs: usize = heap.alloc(2 * IOVEC_SIZE);

  /** What pci.find told: bus << 8 | slot << 3 | function, class dword, memory BARs, the INTx line. */
  location: u32 = 0;
  classCode: u32 = 0;
  bars: u32 = 0;
  line: u32 = 0;
  /** The last pci.bar's size in bytes. */
  barBytes: u32 = 0;
  /** The last pci.interrupt's line. */
  interruptLine: u32 = 0;

  constructor(readonly vendor: u32, readonly device: u32, readonly index: u32 = 0) {}

  private name(operation: u32): void {
    store<u32>(this.request, operation);
    const request = changetype<PciFindRequest>(this.request);
    request.vendor = this.vendor;
    request.device = this.device;
    request.index = this.index;
  }

  /** pci.find: 0 with the fields above set, or the error. */
  find(): i32 {
    this.name(PCI_FIND);
    const status = this.bus.send(this.request, PCI_FIND_REQUEST_SIZE, this.reply, PCI_FIND_REPLY_SIZE);
    if (status < 0) return status;
    const reply = changetype<PciFindReply>(this.reply);
    this.location = reply.location;
    this.classCode = reply.classCode;
    this.bars = reply.bars;
    this.line = reply.line;
    return 0;
  }

  /** pci.config: the configuration page's memory handle (MAP only), or the error. */
  config(): Handle {
    this.name(PCI_CONFIG);
    const status = this.bus.send(this.request, PCI_CONFIG_REQUEST_SIZE, this.reply, PCI_CONFIG_REPLY_SIZE);
    return status < 0 ? status : <Handle>changetype<PciConfigReply>(this.reply).handle;
  }

  /** pci.bar: BAR `bar`'s memory handle (its size in barBytes), or the error. */
  bar(bar: u32): Handle {
    this.name(PCI_BAR);
    changetype<PciBarRequest>(this.request).bar = bar;
    const status = this.bus.send(this.request, PCI_BAR_REQUEST_SIZE, this.reply, PCI_BAR_REPLY_SIZE);
    if (status < 0) return status;
    this.barBytes = changetype<PciBarReply>(this.reply).bytes;
    return <Handle>changetype<PciBarReply>(this.reply).handle;
  }

  /** pci.enable with `flags` (PCI_ENABLE_BUS_MASTER): 0 or the error. */
  enable(flags: u32): i32 {
    this.name(PCI_ENABLE);
    changetype<PciEnableRequest>(this.request).flags = flags;
    return this.bus.send(this.request, PCI_ENABLE_REQUEST_SIZE, this.reply, 0);
  }

  /** pci.interrupt: the device's line attached to `connection` with pulse `code`; the interrupt's handle, or the error. */
  interrupt(connection: Handle, code: u32): Handle {
    if (connection <= 0) return ERROR_INVALID_ARGUMENT;
    this.name(PCI_INTERRUPT);
    changetype<PciInterruptRequest>(this.request).code = code;
    const send = changetype<Iovec>(this.iovecs);
    send.address = <u32>this.request;
    send.length = PCI_INTERRUPT_REQUEST_SIZE;
    const receive = changetype<Iovec>(this.iovecs + IOVEC_SIZE);
    receive.address = <u32>this.reply;
    receive.length = PCI_INTERRUPT_REPLY_SIZE;
    const status = this.bus.sendv(this.iovecs, 1, this.iovecs + IOVEC_SIZE, 1, connection);
    if (status < 0) return status;
    this.interruptLine = changetype<PciInterruptReply>(this.reply).line;
    return <Handle>changetype<PciInterruptReply>(this.reply).handle;
  }
}
