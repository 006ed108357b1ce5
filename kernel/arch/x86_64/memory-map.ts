// The UEFI memory map the boot stub took just before ExitBootServices
// (descriptors of the firmware's EFI_MEMORY_DESCRIPTOR layout, boot info
// INFO_MEMORY_MAP*), read in place: it lives in the image's .data, which
// stays identity-mapped.

import { INFO_DESCRIPTOR_SIZE, INFO_MEMORY_MAP, INFO_MEMORY_MAP_SIZE } from "./boot/boot-info";
import { boot } from "./handoff";
import { load32, load64 } from "./native";

export const PAGE_SIZE: u64 = 4096;

// UEFI memory types.
export const LOADER_CODE: u32 = 1;
export const LOADER_DATA: u32 = 2;
export const BOOT_SERVICES_CODE: u32 = 3;
export const BOOT_SERVICES_DATA: u32 = 4;
export const CONVENTIONAL: u32 = 7;
export const ACPI_RECLAIM: u32 = 9;
export const ACPI_NVS: u32 = 10;
export const MMIO: u32 = 11;
export const MMIO_PORT_SPACE: u32 = 12;
export const PERSISTENT: u32 = 14;

export function regionCount(): i32 {
  return <i32>(boot(INFO_MEMORY_MAP_SIZE) / boot(INFO_DESCRIPTOR_SIZE));
}

function descriptor(index: i32): i64 {
  return boot(INFO_MEMORY_MAP) + <i64>index * boot(INFO_DESCRIPTOR_SIZE);
}

export function regionType(index: i32): u32 { return <u32>load32(descriptor(index)); }
export function regionStart(index: i32): u64 { return <u64>load64(descriptor(index) + 8); }
export function regionPages(index: i32): u64 { return <u64>load64(descriptor(index) + 24); }
export function regionEnd(index: i32): u64 { return regionStart(index) + regionPages(index) * PAGE_SIZE; }

/** Memory the kernel may take once boot services are gone. */
export function isFreeType(type: u32): bool {
  return type == CONVENTIONAL || type == BOOT_SERVICES_CODE || type == BOOT_SERVICES_DATA;
}

/** RAM, as opposed to device memory: mapped write-back in the direct map. */
export function isRamType(type: u32): bool {
  return (type >= 1 && type <= 7) || type == ACPI_RECLAIM || type == ACPI_NVS || type == PERSISTENT;
}
