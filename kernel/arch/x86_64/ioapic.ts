// The I/O APICs: each carries a run of global system interrupts (GSIs), one
// redirection entry per input, programmed through two registers in its
// MMIO page (IOREGSEL at +0x00 selects, IOWIN at +0x10 reads or writes),
// reached through the direct map, uncached like every device page. The
// select-then-access pair is not atomic; kernel code runs with interrupts
// off on one processor, so nothing comes between the two.
//
// Invariants:
//  - every entry is masked from addIoApic on, until routeGsi and
//    setGsiMasked(false) open it;
//  - a GSI belongs to at most one I/O APIC: one whose inputs overlap an
//    earlier one's is refused.

import { phys } from "../../memory/physical";
import { directMapSize } from "./address-space";
import { load32, store32 } from "./native";

const SELECT: u64 = 0x00;
const WINDOW: u64 = 0x10;
const REGISTER_VERSION: u32 = 0x01;
const REGISTER_REDIRECTION: u32 = 0x10;

// The low half of a redirection entry (fixed delivery, physical destination).
const ACTIVE_LOW: u32 = 1 << 13;
const LEVEL_TRIGGERED: u32 = 1 << 15;
const MASKED: u32 = 1 << 16;
/** The destination (a local APIC id) sits in the high half's top byte. */
const DESTINATION_SHIFT: u32 = 24;

class IoApic {
  constructor(readonly id: u32, readonly base: u64, readonly gsiBase: u32, readonly count: u32) {}

  read(register: u32): u32 {
    store32(phys(this.base + SELECT), <i32>register);
    return <u32>load32(phys(this.base + WINDOW));
  }

  write(register: u32, value: u32): void {
    store32(phys(this.base + SELECT), <i32>register);
    store32(phys(this.base + WINDOW), <i32>value);
  }

  covers(gsi: u32): bool { return gsi >= this.gsiBase && gsi - this.gsiBase < this.count; }
}

const ioApics = new Array<IoApic>();

/**
 * Takes the I/O APIC at physical `address` whose first input is GSI
 * `gsiBase`: reads how many inputs it has and masks them all. Returns that
 * count, or 0 when it is refused (outside the direct map, overlapping).
 */
export function addIoApic(id: u32, address: u64, gsiBase: u32): u32 {
  if (address == 0 || (address & 0xf) != 0 || address + 0x20 > directMapSize()) return 0;
  const probe = new IoApic(id, address, gsiBase, 0);
  const count = ((probe.read(REGISTER_VERSION) >> 16) & 0xff) + 1;
  const chip = new IoApic(id, address, gsiBase, count);
  for (let i = 0; i < ioApics.length; i++) {
    const other = ioApics[i];
    if (gsiBase < other.gsiBase + other.count && other.gsiBase < gsiBase + count) return 0;
  }
  for (let input: u32 = 0; input < count; input++) chip.write(REGISTER_REDIRECTION + 2 * input, MASKED);
  ioApics.push(chip);
  return count;
}

function chipOf(gsi: u32): IoApic | null {
  for (let i = 0; i < ioApics.length; i++) if (ioApics[i].covers(gsi)) return ioApics[i];
  return null;
}

/** True when some I/O APIC has an input for `gsi`. */
export function hasGsi(gsi: u32): bool { return chipOf(gsi) != null; }

/** Points `gsi` at `vector` on local APIC `destination` with its trigger and polarity; left masked. */
export function routeGsi(gsi: u32, vector: u32, level: bool, activeLow: bool, destination: u32): void {
  const chip = chipOf(gsi);
  if (chip == null) return;
  const register = REGISTER_REDIRECTION + 2 * (gsi - chip.gsiBase);
  let low = (vector & 0xff) | MASKED;
  if (level) low |= LEVEL_TRIGGERED;
  if (activeLow) low |= ACTIVE_LOW;
  chip.write(register, MASKED);
  chip.write(register + 1, (destination & 0xff) << DESTINATION_SHIFT);
  chip.write(register, low);
}

/** Masks or unmasks a routed `gsi` (its vector, trigger and polarity stay). */
export function setGsiMasked(gsi: u32, masked: bool): void {
  const chip = chipOf(gsi);
  if (chip == null) return;
  const register = REGISTER_REDIRECTION + 2 * (gsi - chip.gsiBase);
  const low = chip.read(register);
  chip.write(register, masked ? low | MASKED : low & ~MASKED);
}
