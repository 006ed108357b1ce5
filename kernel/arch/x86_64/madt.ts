// The MADT (ACPI "APIC" table): where the I/O APICs are and how the ISA
// interrupt lines reach them. Two kinds of entries matter here:
//
//   type 1  I/O APIC: its id, its registers' physical address, the first
//           global system interrupt (GSI) its inputs carry
//   type 2  interrupt source override: ISA line `source` arrives at GSI
//           `gsi` (q35: the PIT's line 0 at GSI 2), with polarity and
//           trigger flags when they differ from ISA's (active high, edge)
//
// Others (local APICs, NMI sources) are skipped by their length; an entry
// whose length is short or runs past the table ends the walk.

import { TABLE_HEADER_SIZE, acpiTableLength, findAcpiTable, read16, read32, read8 } from "./acpi";

/** Where the entries start: the header, the local APIC's address (u32) and flags (u32). */
const ENTRIES: u32 = TABLE_HEADER_SIZE + 8;
const TYPE_IO_APIC: u32 = 1;
const TYPE_SOURCE_OVERRIDE: u32 = 2;
const IO_APIC_SIZE: u32 = 12;
const SOURCE_OVERRIDE_SIZE: u32 = 10;
const BUS_ISA: u32 = 0;

export class IoApicEntry {
  constructor(readonly id: u32, readonly address: u64, readonly gsiBase: u32) {}
}

export class SourceOverride {
  constructor(readonly source: u32, readonly gsi: u32, readonly flags: u32) {}
}

export class Madt {
  readonly ioApics: IoApicEntry[] = [];
  readonly overrides: SourceOverride[] = [];
}

/** The MADT's I/O APICs and ISA overrides; null when the ACPI tables have no sound MADT. */
export function readMadt(): Madt | null {
  const table = findAcpiTable("APIC");
  if (table == 0) return null;
  const madt = new Madt();
  const end = <u64>acpiTableLength(table);
  let at = <u64>ENTRIES;
  while (at + 2 <= end) {
    const type = read8(table + at);
    const length = <u64>read8(table + at + 1);
    if (length < 2 || at + length > end) break;
    const entry = table + at;
    if (type == TYPE_IO_APIC && length >= <u64>IO_APIC_SIZE) {
      madt.ioApics.push(new IoApicEntry(read8(entry + 2), <u64>read32(entry + 4), read32(entry + 8)));
    } else if (type == TYPE_SOURCE_OVERRIDE && length >= <u64>SOURCE_OVERRIDE_SIZE && read8(entry + 2) == BUS_ISA) {
      madt.overrides.push(new SourceOverride(read8(entry + 3), read32(entry + 4), read16(entry + 8)));
    }
    at += length;
  }
  return madt;
}
