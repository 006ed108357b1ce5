// The kernel side of firmware.table: the firmware's ACPI tables for the
// components whose rights name them (a PCI bus server reads the MCFG for
// ECAM). The kernel found and checked the root table at boot
// (arch/x86_64/acpi.ts); it hands out only tables that are sound there
// (signature, length, checksum) and reachable through the direct map, and
// copies them, so a component never sees firmware memory itself.

import * as abi from "../generated/abi";
import { acpiTableLength, findAcpiTable } from "../arch/x86_64/acpi";
import { copyUser } from "../component/copy";
import { phys } from "../memory/physical";
import { Thread } from "../object/thread";

/** firmware.table */
export function firmwareTable(caller: Thread, signature: string, buffer: u64, bufferLength: u64): i32 {
  if (signature.length != 4) return abi.ERROR_INVALID_ARGUMENT;
  const table = findAcpiTable(signature);
  if (table == 0) return abi.ERROR_NOT_FOUND;
  const length = acpiTableLength(table);
  const copied = min<u64>(<u64>length, bufferLength);
  if (copied > 0 && !copyUser(buffer, <u64>phys(table), copied)) return abi.ERROR_BAD_ADDRESS;
  return <i32>length;
}
