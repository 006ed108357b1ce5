// The machine instructions the kernel uses, as the `x86` intrinsics the
// Delos compiler expands inline for privileged components
// (docs/compiler-abi.md, "The kernel's machine intrinsics").

@external("x86", "inb") export declare function inb(port: i32): i32;
@external("x86", "inw") export declare function inw(port: i32): i32;
@external("x86", "inl") export declare function inl(port: i32): i32;
@external("x86", "outb") export declare function outb(port: i32, value: i32): void;
@external("x86", "outw") export declare function outw(port: i32, value: i32): void;
@external("x86", "outl") export declare function outl(port: i32, value: i32): void;

@external("x86", "read_cr0") export declare function readCr0(): i64;
@external("x86", "read_cr2") export declare function readCr2(): i64;
@external("x86", "read_cr3") export declare function readCr3(): i64;
@external("x86", "read_cr4") export declare function readCr4(): i64;
@external("x86", "write_cr0") export declare function writeCr0(value: i64): void;
@external("x86", "write_cr3") export declare function writeCr3(value: i64): void;
@external("x86", "write_cr4") export declare function writeCr4(value: i64): void;

@external("x86", "lgdt") export declare function lgdt(address: i64): void;
@external("x86", "lidt") export declare function lidt(address: i64): void;
@external("x86", "ltr") export declare function ltr(selector: i32): void;
@external("x86", "load_segments") export declare function loadSegments(code: i32, data: i32): void;

@external("x86", "cli") export declare function cli(): void;
@external("x86", "sti") export declare function sti(): void;
@external("x86", "hlt") export declare function hlt(): void;
/** Enables interrupts and waits for one, with no window between the two. */
@external("x86", "sti_hlt") export declare function waitForInterrupt(): void;
@external("x86", "pause") export declare function pause(): void;
@external("x86", "breakpoint") export declare function breakpoint(): void;

@external("x86", "rdtsc") export declare function rdtsc(): i64;
@external("x86", "rdmsr") export declare function rdmsr(msr: i32): i64;
@external("x86", "wrmsr") export declare function wrmsr(msr: i32, value: i64): void;
@external("x86", "invlpg") export declare function invlpg(address: i64): void;
/** Register 0..3 (eax, ebx, ecx, edx) of cpuid leaf/subleaf. */
@external("x86", "cpuid") export declare function cpuid(leaf: i32, subleaf: i32, register: i32): i32;

@external("x86", "rsp") export declare function readRsp(): i64;
@external("x86", "rbp") export declare function readRbp(): i64;
/** Saves this context into the block at `from` and resumes the one at `to` (CONTEXT_* of the compiler's x86.ts). */
@external("x86", "switch_context") export declare function switchContext(from: i64, to: i64): void;

export const MSR_APIC_BASE: i32 = 0x1b;
export const MSR_EFER: i32 = 0xc0000080;
export const MSR_FS_BASE: i32 = 0xc0000100;

/** Stops this processor for good: interrupts off, halt forever. */
export function haltForever(): void {
  while (true) {
    cli();
    hlt();
  }
}
