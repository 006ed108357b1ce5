// What the bus server knows of the bus: every function found through ECAM,
// with its memory BARs sized. Sizing a BAR writes to it (all ones, then the
// base back) with the device's decoding off, which a running driver must
// never see; so the first instance of a boot does it, before the drivers
// start, and keeps the result in its state object, and every later
// instance reads it from there and touches no device.
//
// The state object's layout (little-endian):
//   0  u32 MAGIC once complete (written last)   4 u32 functions
//   8  u64 ECAM base of bus startBus           16 u32 startBus  20 u32 endBus
//   HEADER_BYTES + i * RECORD_BYTES: function i
//      0 u32 location (bus << 8 | slot << 3 | function)   4 u32 vendor | device << 16
//      8 u32 class dword   12 u32 interrupt pin (0: none, 1-4: A-D)   16 u32 memory BAR mask
//     24 u64 × 6 BAR bases   72 u32 × 6 BAR sizes

import { firmwareTable, handleClose, memoryDevice, stateOpen, Handle } from "../../ipc/generated/index";
import { mapFresh } from "../lib/device/map";
import { log } from "../../sdk/lib/log";

const MAGIC: u32 = 0x31494350; // "PCI1"
export const HEADER_BYTES: u32 = 32;
export const RECORD_BYTES: u32 = 96;
export const FUNCTIONS_MAXIMUM: u32 = 128;
const STATE_BYTES: u32 = HEADER_BYTES + RECORD_BYTES * FUNCTIONS_MAXIMUM;
const BUS_BYTES: u32 = 1 << 20;
const BUSES_MAXIMUM: i32 = 8;

// Configuration space offsets.
export const COMMAND: u32 = 0x04;
export const COMMAND_MEMORY: u32 = 1 << 1;
export const COMMAND_INTERRUPT_DISABLE: u32 = 1 << 10;
const CLASS: u32 = 0x08;
const HEADER_TYPE: u32 = 0x0e;
const BAR0: u32 = 0x10;
const SECONDARY_BUS: u32 = 0x19;
const INTERRUPT_PIN: u32 = 0x3d;

/** A function's record in the state object. */
@unmanaged export class FunctionRecord {
  location: u32;
  id: u32;
  classCode: u32;
  pin: u32;
  bars: u32;
  reserved: u32;
  barBase(bar: u32): u64 { return load<u64>(changetype<usize>(this) + 24 + 8 * <usize>bar); }
  barBytes(bar: u32): u32 { return load<u32>(changetype<usize>(this) + 72 + 4 * <usize>bar); }
  setBar(bar: u32, base: u64, bytes: u32): void {
    store<u64>(changetype<usize>(this) + 24 + 8 * <usize>bar, base);
    store<u32>(changetype<usize>(this) + 72 + 4 * <usize>bar, bytes);
  }
}

/** The bus as found: the state object, and ECAM mapped bus by bus. */
export class Bus {
  state: usize = 0;
  ecamBase: u64 = 0;
  startBus: u32 = 0;
  endBus: u32 = 0;
  /** Mapped ECAM of each bus from startBus (0: not mapped yet). */
  private readonly buses: StaticArray<usize> = new StaticArray<usize>(BUSES_MAXIMUM);
  problem: string = "";

  get count(): u32 { return load<u32>(this.state + 4); }
  record(i: u32): FunctionRecord { return changetype<FunctionRecord>(this.state + HEADER_BYTES + i * RECORD_BYTES); }

  /** The configuration page of bus/slot/function, mapped (0: a bus beyond what it maps). */
  config(location: u32): usize {
    const bus = (location >> 8) - this.startBus;
    if (bus >= <u32>BUSES_MAXIMUM || location >> 8 > this.endBus) return 0;
    let mapped = unchecked(this.buses[bus]);
    if (mapped == 0) {
      const handle = memoryDevice(this.ecamBase + (<u64>bus << 20), BUS_BYTES);
      if (handle < 0) { this.problem = "memory.device of ECAM bus " + (bus + this.startBus).toString() + ": error " + handle.toString(); return 0; }
      mapped = mapFresh(handle, BUS_BYTES);
      handleClose(handle);
      if (mapped == 0) { this.problem = "cannot map ECAM"; return 0; }
      unchecked(this.buses[bus] = mapped);
    }
    return mapped + <usize>((location & 0xff) << 12);
  }

  /** The physical address of a function's configuration page. */
  configPhysical(location: u32): u64 { return this.ecamBase + (<u64>((location >> 8) - this.startBus) << 20) + (<u64>(location & 0xff) << 12); }

  /** Opens the state object and, the first time this boot, enumerates and sizes: false with `problem` when it cannot. */
  open(): bool {
    const handle: Handle = stateOpen("pci-devices", STATE_BYTES);
    if (handle < 0) { this.problem = "state.open: error " + handle.toString(); return false; }
    this.state = mapFresh(handle, STATE_BYTES);
    handleClose(handle);
    if (this.state == 0) { this.problem = "cannot map the state object"; return false; }
    if (load<u32>(this.state) == MAGIC) {
      this.ecamBase = load<u64>(this.state + 8);
      this.startBus = load<u32>(this.state + 16);
      this.endBus = load<u32>(this.state + 20);
      log("adopted " + this.count.toString() + " functions found earlier this boot");
      return true;
    }
    if (!this.readMcfg()) return false;
    store<u32>(this.state + 4, 0);
    this.scanBus(this.startBus, 0);
    store<u64>(this.state + 8, this.ecamBase);
    store<u32>(this.state + 16, this.startBus);
    store<u32>(this.state + 20, this.endBus);
    store<u32>(this.state, MAGIC);
    log("found " + this.count.toString() + " functions through ECAM at 0x" + this.ecamBase.toString(16));
    return this.problem.length == 0;
  }

  /** The first ECAM range of segment 0 from the MCFG. */
  private readMcfg(): bool {
    const table = heap.alloc(256);
    const length = firmwareTable("MCFG", table, 256);
    if (length < 0) { this.problem = "firmware.table MCFG: error " + length.toString(); return false; }
    // Header (36) and 8 reserved bytes, then 16-byte entries: base, segment, start bus, end bus.
    for (let at: u32 = 44; at + 16 <= min<u32>(<u32>length, 256); at += 16) {
      if (load<u16>(table + at + 8) != 0) continue;
      const start = <u32>load<u8>(table + at + 10);
      this.startBus = start;
      this.endBus = <u32>load<u8>(table + at + 11);
      // The entry's base is where bus 0 would be.
      this.ecamBase = load<u64>(table + at) + (<u64>start << 20);
      return true;
    }
    this.problem = "the MCFG has no range of segment 0";
    return false;
  }

  private scanBus(bus: u32, depth: i32): void {
    for (let slot: u32 = 0; slot < 32; slot++) {
      for (let fn: u32 = 0; fn < 8; fn++) {
        const location = bus << 8 | slot << 3 | fn;
        const config = this.config(location);
        if (config == 0) return;
        const id = load<u32>(config);
        if ((id & 0xffff) == 0xffff) { if (fn == 0) break; continue; }
        const headerType = <u32>load<u8>(config + HEADER_TYPE);
        this.add(location, config, id, headerType & 0x7f);
        if ((headerType & 0x7f) == 1 && depth < BUSES_MAXIMUM) {
          const secondary = <u32>load<u8>(config + SECONDARY_BUS);
          if (secondary > bus && secondary <= this.endBus) this.scanBus(secondary, depth + 1);
        }
        if (fn == 0 && (headerType & 0x80) == 0) break;
      }
    }
  }

  private add(location: u32, config: usize, id: u32, headerType: u32): void {
    const index = this.count;
    if (index >= FUNCTIONS_MAXIMUM) return;
    const record = this.record(index);
    record.location = location;
    record.id = id;
    record.classCode = load<u32>(config + CLASS);
    record.pin = <u32>load<u8>(config + INTERRUPT_PIN);
    record.bars = 0;
    // Bridges have two BARs, other functions six.
    const barCount: u32 = headerType == 0 ? 6 : headerType == 1 ? 2 : 0;
    const command = load<u16>(config + COMMAND);
    store<u16>(config + COMMAND, command & ~<u16>3);
    for (let bar: u32 = 0; bar < barCount; bar++) {
      const at = config + BAR0 + 4 * bar;
      const low = load<u32>(at);
      if ((low & 1) != 0) continue; // I/O space: drivers here use memory BARs only
      const wide = (low & 6) == 4;
      store<u32>(at, 0xffffffff);
      let mask = <u64>(load<u32>(at) & 0xfffffff0);
      store<u32>(at, low);
      let base = <u64>(low & 0xfffffff0);
      if (wide && bar + 1 < barCount) {
        const high = load<u32>(at + 4);
        store<u32>(at + 4, 0xffffffff);
        mask |= <u64>load<u32>(at + 4) << 32;
        store<u32>(at + 4, high);
        base |= <u64>high << 32;
      } else {
        mask |= <u64>0xffffffff << 32;
      }
      const bytes = ~mask + 1;
      if (mask != 0 && base != 0 && bytes <= <u64>(1 << 30)) {
        record.setBar(bar, base, <u32>bytes);
        record.bars |= 1 << bar;
      }
      if (wide) bar++;
    }
    store<u16>(config + COMMAND, command);
    store<u32>(this.state + 4, index + 1);
  }
}
