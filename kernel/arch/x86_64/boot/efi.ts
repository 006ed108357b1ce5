// The parts of the UEFI 2.x interface the boot stub uses: byte offsets into
// the system table, boot services and protocols (x86-64: every pointer and
// UINTN is 8 bytes, every function pointer a slot of 8), protocol GUIDs and
// status codes. Calls follow the Microsoft x64 convention: arguments in rcx,
// rdx, r8, r9, then on the stack above 32 bytes of shadow space; rbx, rbp,
// rdi, rsi, r12-r15 are preserved.

// EFI_SYSTEM_TABLE
export const SYSTEM_CON_OUT: i32 = 64;
export const SYSTEM_BOOT_SERVICES: i32 = 96;
export const SYSTEM_TABLE_ENTRIES: i32 = 104;
export const SYSTEM_CONFIGURATION_TABLE: i32 = 112;

// EFI_BOOT_SERVICES (after the 24-byte table header)
export const BOOT_ALLOCATE_PAGES: i32 = 40;
export const BOOT_GET_MEMORY_MAP: i32 = 56;
export const BOOT_HANDLE_PROTOCOL: i32 = 152;
export const BOOT_EXIT_BOOT_SERVICES: i32 = 232;
export const BOOT_SET_WATCHDOG_TIMER: i32 = 256;
export const BOOT_LOCATE_HANDLE_BUFFER: i32 = 312;
export const BOOT_LOCATE_PROTOCOL: i32 = 320;

// EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL
export const TEXT_OUTPUT_STRING: i32 = 8;
export const TEXT_ENABLE_CURSOR: i32 = 64;

// EFI_GRAPHICS_OUTPUT_PROTOCOL and its mode structures
export const GOP_QUERY_MODE: i32 = 0;
export const GOP_SET_MODE: i32 = 8;
export const GOP_MODE: i32 = 24;
export const MODE_MAX_MODE: i32 = 0;
export const MODE_INFO: i32 = 8;
export const MODE_FRAMEBUFFER_BASE: i32 = 24;
export const MODE_FRAMEBUFFER_SIZE: i32 = 32;
export const INFO_WIDTH: i32 = 4;
export const INFO_HEIGHT: i32 = 8;
export const INFO_PIXEL_FORMAT: i32 = 12;
export const INFO_PIXELS_PER_SCAN_LINE: i32 = 32;
/** PixelRedGreenBlueReserved8BitPerColor: byte 0 is red. */
export const PIXEL_RGB: i32 = 0;
/** PixelBlueGreenRedReserved8BitPerColor: byte 0 is blue. */
export const PIXEL_BGR: i32 = 1;

// EFI_BLOCK_IO_PROTOCOL and EFI_BLOCK_IO_MEDIA
export const BLOCK_MEDIA: i32 = 8;
export const BLOCK_READ_BLOCKS: i32 = 24;
export const MEDIA_ID: i32 = 0;
export const MEDIA_BLOCK_SIZE: i32 = 12;

// EFI_PARTITION_INFO_PROTOCOL
export const PARTITION_INFO_TYPE: i32 = 4;
export const PARTITION_TYPE_GPT: i32 = 2;
/** The GPT entry inside the protocol; its first field is the partition type GUID. */
export const PARTITION_INFO_ENTRY: i32 = 16;

// EFI_CONFIGURATION_TABLE entries: GUID then a pointer.
export const CONFIG_ENTRY_SIZE: i32 = 24;
export const CONFIG_VENDOR_TABLE: i32 = 16;

// EFI_MEMORY_DESCRIPTOR (its stride is the DescriptorSize the firmware returns)
export const DESCRIPTOR_TYPE: i32 = 0;
export const DESCRIPTOR_PHYSICAL_START: i32 = 8;
export const DESCRIPTOR_PAGES: i32 = 24;

export const LOCATE_BY_PROTOCOL: i32 = 2;
export const ALLOCATE_ANY_PAGES: i32 = 0;
export const LOADER_DATA: i32 = 2;

export const GRAPHICS_OUTPUT_GUID = "9042A9DE-23DC-4A38-96FB-7ADED080516A";
export const ACPI_20_TABLE_GUID = "8868E871-E4F1-11D3-BC22-0080C73C8881";
export const ACPI_10_TABLE_GUID = "EB9D2D30-2D88-11D3-9A16-0090273FC14D";
export const BLOCK_IO_GUID = "964E5B21-6459-11D2-8E39-00A0C969723B";
export const PARTITION_INFO_GUID = "8CF2F62C-BC9B-4821-808D-EC9EC421A1A0";
