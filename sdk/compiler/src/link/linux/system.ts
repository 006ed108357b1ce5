// The Linux x86-64 system interface the native stubs use: system call
// numbers, flag values and the layout of the kernel structures they read or
// build (from the kernel's uapi headers and the x86-64 psABI).

// System calls (arch/x86/entry/syscalls/syscall_64.tbl).
export const SYS_WRITE: i32 = 1;
export const SYS_MMAP: i32 = 9;
export const SYS_MPROTECT: i32 = 10;
export const SYS_RT_SIGACTION: i32 = 13;
export const SYS_RT_SIGRETURN: i32 = 15;
export const SYS_SIGALTSTACK: i32 = 131;
export const SYS_ARCH_PRCTL: i32 = 158;
export const SYS_EXIT_GROUP: i32 = 231;

export const ARCH_SET_FS: i32 = 0x1002;

export const PROT_NONE: i32 = 0;
export const PROT_READ_WRITE: i32 = 3;
export const MAP_PRIVATE: i32 = 0x02;
export const MAP_ANONYMOUS: i32 = 0x20;
export const MAP_NORESERVE: i32 = 0x4000;

export const SIGILL: i32 = 4;
export const SIGBUS: i32 = 7;
export const SIGFPE: i32 = 8;
export const SIGSEGV: i32 = 11;

export const SA_SIGINFO: i32 = 0x00000004;
export const SA_ONSTACK: i32 = 0x08000000;
export const SA_RESTORER: i32 = 0x04000000;

/** struct sigaction as the kernel reads it: handler, flags, restorer, mask. */
export const SIGACTION_SIZE: i32 = 32;
/** The kernel's sigset_t is 64 bits. */
export const SIGSET_SIZE: i32 = 8;

/** siginfo_t.si_addr: the faulting address of SIGSEGV and SIGBUS. */
export const SIGINFO_ADDRESS: i32 = 16;

// ucontext_t: uc_flags, uc_link, uc_stack (24 bytes), then mcontext's
// general registers in the order of REG_R8 .. REG_CR2.
const UCONTEXT_GREGS: i32 = 40;
export const UCONTEXT_RDI: i32 = UCONTEXT_GREGS + 8 * 8;
export const UCONTEXT_RSI: i32 = UCONTEXT_GREGS + 8 * 9;
export const UCONTEXT_RSP: i32 = UCONTEXT_GREGS + 8 * 15;
export const UCONTEXT_RIP: i32 = UCONTEXT_GREGS + 8 * 16;

/** Exit status of a fatal error in the runtime or the stubs (EX_SOFTWARE). */
export const EXIT_FATAL: i32 = 70;
