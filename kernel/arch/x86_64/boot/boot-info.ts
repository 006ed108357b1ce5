// The hand-off from the boot stub to the kernel: one block of 8-byte fields
// that the stub fills while boot services still run, then passes (its
// physical address, identity-mapped) to the kernel entry. docs/boot.md
// describes each field; this file is the only place the offsets are written.

export const BOOT_INFO_MAGIC: u64 = 0x314942534f4c4544; // "DELOSBI1" little-endian
export const BOOT_INFO_VERSION: u64 = 1;

export const INFO_MAGIC: i32 = 0;
export const INFO_VERSION: i32 = 8;
export const INFO_MEMORY_MAP: i32 = 16;
export const INFO_MEMORY_MAP_SIZE: i32 = 24;
export const INFO_DESCRIPTOR_SIZE: i32 = 32;
export const INFO_DESCRIPTOR_VERSION: i32 = 40;
export const INFO_FRAMEBUFFER_BASE: i32 = 48;
export const INFO_FRAMEBUFFER_SIZE: i32 = 56;
export const INFO_FRAMEBUFFER_WIDTH: i32 = 64;
export const INFO_FRAMEBUFFER_HEIGHT: i32 = 72;
export const INFO_FRAMEBUFFER_STRIDE: i32 = 80;
export const INFO_FRAMEBUFFER_FORMAT: i32 = 88;
export const INFO_RSDP: i32 = 96;
export const INFO_ACPI_REVISION: i32 = 104;
export const INFO_PAYLOAD_BASE: i32 = 112;
export const INFO_PAYLOAD_SIZE: i32 = 120;
export const INFO_IMAGE_BASE: i32 = 128;
export const INFO_IMAGE_SIZE: i32 = 136;
export const INFO_SYSTEM_TABLE: i32 = 144;
export const INFO_TSC_ENTRY: i32 = 152;
export const INFO_TSC_EXIT: i32 = 160;
/** Boot options from the image recipe (BOOT_OPTION_*). */
export const INFO_OPTIONS: i32 = 168;
export const BOOT_INFO_SIZE: i32 = 256;

/** The kernel takes serial keys that trigger deliberate faults (test images only). */
export const BOOT_OPTION_TEST_FAULTS: u64 = 1;
