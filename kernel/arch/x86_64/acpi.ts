// The ACPI tables, as far as the kernel reads them: from the root pointer
// the boot stub found (boot info INFO_RSDP, INFO_ACPI_REVISION) to the root
// table — the XSDT (64-bit entries) when the pointer is ACPI 2.0 or later
// and has one, else the RSDT (32-bit entries) — and from there any table by
// its signature. Every structure is checked before it is believed: the
// pointer's signature and checksums, each table's length and checksum.
// Tables are read in place through the direct map (phys); nothing is kept.
//
// Missing: AML (the DSDT's interrupt routing for PCI, _PRT); the MADT is
// the one table read (madt.ts).

import { phys } from "../../memory/physical";
import { INFO_ACPI_REVISION, INFO_RSDP } from "./boot/boot-info";
import { directMapSize } from "./address-space";
import { boot } from "./handoff";
import { load32, load64, load8 } from "./native";

/** Bytes of the header every system description table starts with. */
export const TABLE_HEADER_SIZE: u32 = 36;
const TABLE_LENGTH: u64 = 4;
/** A table longer than this is taken as garbage (the MADT of a large machine is a few KiB). */
const TABLE_LENGTH_LIMIT: u32 = 1 << 20;

// The root pointer: "RSD PTR ", checksum over 20 bytes (ACPI 1.0); from
// revision 2 its length, the XSDT's address and a checksum over the length.
const RSDP_REVISION: u64 = 15;
const RSDP_RSDT: u64 = 16;
const RSDP_LENGTH: u64 = 20;
const RSDP_XSDT: u64 = 24;
const RSDP_V1_SIZE: u32 = 20;
const RSDP_V2_SIZE: u32 = 36;

let rootTable: u64 = 0;
let rootEntrySize: u32 = 0;
/** Why the tables could not be read ("" when they could). */
let problem: string = "";

// @ts-ignore: decorator
@inline function byte(address: u64): u32 { return <u32>load8(phys(address)) & 0xff; }
export function read8(address: u64): u32 { return byte(address); }
export function read16(address: u64): u32 { return byte(address) | byte(address + 1) << 8; }
export function read32(address: u64): u32 { return <u32>load32(phys(address)); }
export function read64(address: u64): u64 { return <u64>load64(phys(address)); }

/** A firmware pointer is followed only into the direct map: a wild one must not fault the kernel. */
function reachable(address: u64, length: u64): bool {
  return address != 0 && address < directMapSize() && length <= directMapSize() - address;
}

function sumsToZero(address: u64, length: u32): bool {
  if (!reachable(address, <u64>length)) return false;
  let sum: u32 = 0;
  for (let i: u32 = 0; i < length; i++) sum += byte(address + <u64>i);
  return (sum & 0xff) == 0;
}

function hasSignature(address: u64, signature: string): bool {
  for (let i = 0; i < signature.length; i++) if (byte(address + <u64>i) != <u32>signature.charCodeAt(i)) return false;
  return true;
}

/** The length of the table at `address` when its header and checksum are sound; 0 otherwise. */
function checkedLength(address: u64): u32 {
  if (!reachable(address, <u64>TABLE_HEADER_SIZE)) return 0;
  const length = read32(address + TABLE_LENGTH);
  if (length < TABLE_HEADER_SIZE || length > TABLE_LENGTH_LIMIT) return 0;
  return sumsToZero(address, length) ? length : 0;
}

/** Finds the root table; false (and `acpiProblem`) when there is none to believe. */
export function readAcpiRoot(): bool {
  const rsdp = <u64>boot(INFO_RSDP);
  if (rsdp == 0 || boot(INFO_ACPI_REVISION) == 0) { problem = "the firmware gave no ACPI root pointer"; return false; }
  if (!reachable(rsdp, <u64>RSDP_V2_SIZE) || !hasSignature(rsdp, "RSD PTR ") || !sumsToZero(rsdp, RSDP_V1_SIZE)) { problem = "the ACPI root pointer is not sound"; return false; }
  if (byte(rsdp + RSDP_REVISION) >= 2 && read32(rsdp + RSDP_LENGTH) >= RSDP_V2_SIZE && sumsToZero(rsdp, RSDP_V2_SIZE)) {
    const xsdt = read64(rsdp + RSDP_XSDT);
    if (reachable(xsdt, <u64>TABLE_HEADER_SIZE) && hasSignature(xsdt, "XSDT") && checkedLength(xsdt) != 0) {
      rootTable = xsdt;
      rootEntrySize = 8;
      return true;
    }
  }
  const rsdt = <u64>read32(rsdp + RSDP_RSDT);
  if (reachable(rsdt, <u64>TABLE_HEADER_SIZE) && hasSignature(rsdt, "RSDT") && checkedLength(rsdt) != 0) {
    rootTable = rsdt;
    rootEntrySize = 4;
    return true;
  }
  problem = "neither the XSDT nor the RSDT is sound";
  return false;
}

export function acpiProblem(): string { return problem; }
/** "XSDT" or "RSDT": the root table the lookups go through. */
export function acpiRootName(): string { return rootEntrySize == 8 ? "XSDT" : "RSDT"; }

/** The physical address of the first sound table with `signature` (four characters); 0 when there is none. */
export function findAcpiTable(signature: string): u64 {
  if (rootTable == 0) return 0;
  const length = read32(rootTable + TABLE_LENGTH);
  for (let at = <u64>TABLE_HEADER_SIZE; at + <u64>rootEntrySize <= <u64>length; at += <u64>rootEntrySize) {
    const table = rootEntrySize == 8 ? read64(rootTable + at) : <u64>read32(rootTable + at);
    if (reachable(table, <u64>TABLE_HEADER_SIZE) && hasSignature(table, signature) && checkedLength(table) != 0) return table;
  }
  return 0;
}

/** The length of a table findAcpiTable returned. */
export function acpiTableLength(table: u64): u32 { return read32(table + TABLE_LENGTH); }
