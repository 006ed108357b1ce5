// The contract between the kernel link (kernel/arch/x86_64/link, which
// places the compiled kernel, its data and its native stubs into
// BOOTX64.EFI) and the kernel's wasm code: the link info block that `main`
// receives, the sizes of the stacks the link reserves, and the layout of
// the register frame the interrupt stubs hand to `interrupt`. docs/kernel.md
// describes each; this file is the only place the numbers are written.

export const LINK_INFO_MAGIC: u64 = 0x314b4c534f4c4544; // "DELOSLK1" little-endian
export const LINK_INFO_VERSION: u64 = 1;

// The link info block: 8-byte fields; addresses are absolute (virtual = physical in the image).
export const LINK_MAGIC: i32 = 0;
export const LINK_VERSION: i32 = 8;
/** TSC at the kernel's first instruction (written by the entry stub). */
export const LINK_ENTRY_TSC: i32 = 16;
/** The kernel's compiled code and its size. */
export const LINK_CODE: i32 = 24;
export const LINK_CODE_SIZE: i32 = 32;
/** Per defined function, in function index order: codeOffset u32, codeSize u32. */
export const LINK_FUNCTIONS: i32 = 40;
export const LINK_FUNCTION_COUNT: i32 = 48;
/** Function index of the first defined function (the number of imported functions). */
export const LINK_FIRST_FUNCTION: i32 = 56;
/** The pc map: nativeOffset u32, function index u32, wasm offset u32 per entry, sorted by nativeOffset. */
export const LINK_PC_MAP: i32 = 64;
export const LINK_PC_MAP_COUNT: i32 = 72;
/** Per function index (imports included): name offset u32, name length u32 into LINK_NAME_BYTES (length 0: none). */
export const LINK_NAMES: i32 = 80;
export const LINK_NAME_BYTES: i32 = 88;
/** The entry stub of vector 0; vector v's is LINK_VECTOR_STRIDE * v bytes after it. */
export const LINK_VECTORS: i32 = 96;
export const LINK_VECTOR_STRIDE: i32 = 104;
/** 256 u64: the thread block the stubs switch fs to for each vector (0: keep the interrupted one). */
export const LINK_VECTOR_THREAD_BLOCKS: i32 = 112;
/** The main stack: its guard page's address, and the usable bytes above the guard page. */
export const LINK_MAIN_STACK: i32 = 120;
export const LINK_MAIN_STACK_SIZE: i32 = 128;
/** IST stacks: the first one's guard page, how many, the usable bytes of each (each is guard page + stack). */
export const LINK_IST_STACKS: i32 = 136;
export const LINK_IST_COUNT: i32 = 144;
export const LINK_IST_STACK_SIZE: i32 = 152;
/** The IST stacks' thread blocks, THREAD_BLOCK_SIZE apart. */
export const LINK_IST_THREAD_BLOCKS: i32 = 160;
export const LINK_MAIN_THREAD_BLOCK: i32 = 168;
export const LINK_VMCTX: i32 = 176;
export const LINK_MEMORY_OBJECT: i32 = 184;
/** Native code a new context starts at: [rsp] = code of a wasm function (i64) -> (), [rsp + 8] = its argument. */
export const LINK_THREAD_START: i32 = 192;
/**
 * RT_COPY_CHECKED's exception table entry: a page fault at a pc in
 * [LINK_COPY_CHECKED_START, LINK_COPY_CHECKED_END) resumes at
 * LINK_COPY_CHECKED_FIXUP with rax the faulting address.
 */
export const LINK_COPY_CHECKED_START: i32 = 200;
export const LINK_COPY_CHECKED_END: i32 = 208;
export const LINK_COPY_CHECKED_FIXUP: i32 = 216;
/** The native fast paths (link/fast-path.ts): FAST_PATH_COUNT records of FAST_PATH_RECORD_SIZE bytes, in FAST_PATH_NAMES' order. */
export const LINK_FAST_PATHS: i32 = 224;
/**
 * The native switch's fs-base writes (link/fast-path.ts): the address of a
 * table of FS_BASE_SITE_COUNT u64 code addresses (0: none), and the 8 bytes
 * the kernel writes at each when the CPU has FSGSBASE (`wrfsbase rax` and
 * the switch's closing jump; fs-base.ts).
 */
export const LINK_FS_BASE_SITES: i32 = 232;
export const LINK_FS_BASE_PATCH: i32 = 240;
export const LINK_INFO_SIZE: i32 = 256;

/**
 * The system calls the link has a native fast path for. Each one's record
 * holds its entry (what the call's import slot holds instead of the
 * dispatch function), the dispatch function's code, which the kernel writes
 * when it defines the call and the native code jumps to when it declines,
 * and where the native code ends (for `npm run trace`).
 */
export const FAST_PATH_NAMES: string[] = ["msg_send", "msg_reply_receive", "thread_yield", "msg_reply_wait"];
export const FAST_PATH_COUNT: i32 = 4;
export const FAST_PATH_ENTRY: i32 = 0;
export const FAST_PATH_FALLBACK: i32 = 8;
export const FAST_PATH_END: i32 = 16;
export const FAST_PATH_RECORD_SIZE: i32 = 24;
/** How many native switches the fast paths hold: one in each (FAST_PATH_NAMES). */
export const FS_BASE_SITE_COUNT: i32 = 4;

export const STACK_GUARD_SIZE: i32 = 4096;
export const MAIN_STACK_SIZE: i32 = 256 << 10;
/** The main stack's THREAD_STACK_LIMIT sits this far above its guard page. */
export const MAIN_STACK_HEADROOM: i32 = 64 << 10;
export const IST_COUNT: i32 = 4;
export const IST_STACK_SIZE: i32 = 32 << 10;
export const IST_STACK_HEADROOM: i32 = 8 << 10;
/**
 * A handler entered on the interrupted stack may go this far below that
 * stack's limit (the stubs lower the limit while it runs), so an interrupt
 * that arrives near the limit can still be handled.
 */
export const INTERRUPT_ROOM: i32 = 32 << 10;
/**
 * Growing a thread's stack (kernel/sched/threads.ts growStack) runs this
 * far below the limit it was asked to move: inside the room the trap path
 * keeps below every limit, mapped even under an interrupt handler's.
 */
export const STACK_GROW_ROOM: i32 = 4 << 10;
export const VECTOR_STUB_SIZE: i32 = 16;
export const VECTOR_COUNT: i32 = 256;

// The frame `interrupt(frame)` receives: what the stub pushed below the CPU's frame.
export const FRAME_FS_BASE: i32 = 0;  // the interrupted fs base when the stub switched, else 0
export const FRAME_R15: i32 = 8;
export const FRAME_R14: i32 = 16;
export const FRAME_R13: i32 = 24;
export const FRAME_R12: i32 = 32;
export const FRAME_R11: i32 = 40;
export const FRAME_R10: i32 = 48;
export const FRAME_R9: i32 = 56;
export const FRAME_R8: i32 = 64;
export const FRAME_RBP: i32 = 72;
export const FRAME_RDI: i32 = 80;
export const FRAME_RSI: i32 = 88;
export const FRAME_RDX: i32 = 96;
export const FRAME_RCX: i32 = 104;
export const FRAME_RBX: i32 = 112;
export const FRAME_RAX: i32 = 120;
export const FRAME_VECTOR: i32 = 128;
export const FRAME_ERROR_CODE: i32 = 136; // 0 for vectors without one
export const FRAME_RIP: i32 = 144;
export const FRAME_CS: i32 = 152;
export const FRAME_RFLAGS: i32 = 160;
export const FRAME_RSP: i32 = 168;
export const FRAME_SS: i32 = 176;
export const FRAME_SIZE: i32 = 184;

/** Vectors for which the CPU pushes an error code. */
export function vectorHasErrorCode(vector: i32): bool {
  return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30;
}
