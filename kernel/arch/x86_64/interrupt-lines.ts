// Device interrupt lines: what a driver names in its manifest (`irq LINE`)
// and in interrupt.attach, mapped to the I/O APICs the MADT describes.
//
//   line 0..15    an ISA line: its GSI is the one an interrupt source
//                 override gives it (q35: line 0 at GSI 2), else the GSI of
//                 the same number; edge-triggered and active high unless
//                 the override's flags say otherwise. A GSI that an
//                 override gives to another ISA line is not a line of its
//                 own (line 2 on q35: the PIT's line 0 arrives there).
//   line 16..     a GSI as it is, taken to be a PCI interrupt: level-
//                 triggered, active low.
//
// A line must have an I/O APIC input, and its GSI a vector: GSI g arrives
// on vector LINE_VECTOR_BASE + g, up to LINE_VECTOR_LIMIT (0x50..0xEF:
// clear of the exceptions, the PICs' 0x20-0x2F, the timer's 0x40 and the
// spurious 0xFF), so GSIs 0..159 can be used. Every input stays masked
// until a line is attached (object/interrupt.ts).

import * as console from "../../console";
import { acpiProblem, acpiRootName, readAcpiRoot } from "./acpi";
import { apicId } from "./apic";
import { addIoApic, hasGsi, routeGsi } from "./ioapic";
import { Madt, SourceOverride, readMadt } from "./madt";

export const LINE_VECTOR_BASE: i32 = 0x50;
export const LINE_VECTOR_LIMIT: i32 = 0xf0;
const ISA_LINES: u32 = 16;

// Override flags (MPS INTI flags): polarity in bits 0-1, trigger in bits 2-3; 0 means "as the bus".
const POLARITY_MASK: u32 = 0x3;
const POLARITY_LOW: u32 = 0x3;
const TRIGGER_MASK: u32 = 0xc;
const TRIGGER_LEVEL: u32 = 0xc;

let madt: Madt | null = null;

function overrideOf(line: u32): SourceOverride | null {
  const overrides = madt!.overrides;
  for (let i = 0; i < overrides.length; i++) if (overrides[i].source == line) return overrides[i];
  return null;
}

/** True when an override sends an ISA line other than `line` to `gsi`. */
function gsiTakenByOverride(gsi: u32, line: u32): bool {
  const overrides = madt!.overrides;
  for (let i = 0; i < overrides.length; i++) if (overrides[i].gsi == gsi && overrides[i].source != line) return true;
  return false;
}

/** The GSI of `line`, or -1 when this machine has no such line (or no vector for it). */
export function lineGsi(line: u32): i32 {
  if (madt == null) return -1;
  let gsi = line;
  if (line < ISA_LINES) {
    const entry = overrideOf(line);
    if (entry != null) gsi = entry.gsi;
  }
  if (gsiTakenByOverride(gsi, line)) return -1;
  if (gsi >= <u32>(LINE_VECTOR_LIMIT - LINE_VECTOR_BASE) || !hasGsi(gsi)) return -1;
  return <i32>gsi;
}

/** Level-triggered (true) or edge-triggered. */
export function lineIsLevel(line: u32): bool {
  if (line >= ISA_LINES) return true;
  const entry = overrideOf(line);
  return entry != null && (entry.flags & TRIGGER_MASK) == TRIGGER_LEVEL;
}

function lineIsActiveLow(line: u32): bool {
  if (line >= ISA_LINES) return true;
  const entry = overrideOf(line);
  return entry != null && (entry.flags & POLARITY_MASK) == POLARITY_LOW;
}

/** Programs a line's I/O APIC input for its vector, masked. The line must exist (lineGsi ≥ 0). */
export function routeLine(line: u32): void {
  const gsi = <u32>lineGsi(line);
  routeGsi(gsi, <u32>LINE_VECTOR_BASE + gsi, lineIsLevel(line), lineIsActiveLow(line), apicId());
}

/**
 * At boot, after the local APIC: finds the I/O APICs and the overrides in
 * the MADT, masks every input and reports what it found in one line. Without
 * a sound MADT there are no lines (attach answers INVALID_ARGUMENT).
 */
export function setUpInterruptLines(): void {
  if (!readAcpiRoot()) { console.line("irq: no device interrupts: " + acpiProblem()); return; }
  const found = readMadt();
  if (found == null) { console.line("irq: no device interrupts: the " + acpiRootName() + " lists no sound MADT"); return; }
  console.begin();
  console.text("irq: MADT via the ");
  console.text(acpiRootName());
  const chips = found.ioApics;
  let usable = 0;
  for (let i = 0; i < chips.length; i++) {
    const chip = chips[i];
    const count = addIoApic(chip.id, chip.address, chip.gsiBase);
    console.text(i == 0 ? ": I/O APIC " : "; I/O APIC ");
    console.decimal(<u64>chip.id);
    console.text(" at ");
    console.hex(chip.address);
    if (count == 0) { console.text(" refused (unreachable or overlapping)"); continue; }
    usable++;
    console.text(", GSIs ");
    console.decimal(<u64>chip.gsiBase);
    console.text("-");
    console.decimal(<u64>(chip.gsiBase + count - 1));
  }
  if (chips.length == 0) console.text(": no I/O APIC");
  reportOverrides(found.overrides);
  if (usable > 0) {
    madt = found;
    console.text("; GSI g on vector ");
    console.hex(<u64>LINE_VECTOR_BASE);
    console.text("+g, all masked");
  }
  console.end();
}

function reportOverrides(overrides: SourceOverride[]): void {
  console.text("; ");
  console.decimal(<u64>overrides.length);
  console.text(overrides.length == 1 ? " override" : " overrides");
  for (let i = 0; i < overrides.length; i++) {
    const entry = overrides[i];
    console.text(i == 0 ? " (ISA " : ", ISA ");
    console.decimal(<u64>entry.source);
    console.text(" -> GSI ");
    console.decimal(<u64>entry.gsi);
    const trigger = entry.flags & TRIGGER_MASK, polarity = entry.flags & POLARITY_MASK;
    if (trigger != 0 || polarity != 0) {
      console.text(trigger == TRIGGER_LEVEL ? " level" : " edge");
      console.text(polarity == POLARITY_LOW ? " low" : " high");
    }
  }
  if (overrides.length > 0) console.text(")");
}
