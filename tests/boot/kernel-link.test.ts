// The kernel's toolchain without QEMU: the `x86` intrinsics the generator
// expands inline (checked against objdump where binutils is installed), their
// refusal for unprivileged modules and wrong types, the kernel link's
// refusals, and the layout of a BOOTX64.EFI with the kernel linked in.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { BootStubError, buildBootStub } from "../../sdk/host/boot-stub";
import { CompileError } from "../../sdk/host/compiler";
import { buildKernel } from "../../sdk/host/kernel";
import { compileComponent } from "../../sdk/host/linux";
import { runTool } from "./tools";
import { peChecksum, readPe } from "./pe.test";

function wat(text: string): Uint8Array {
  const directory = mkdtempSync(join(tmpdir(), "delos-wat-"));
  try {
    writeFileSync(join(directory, "module.wat"), text);
    execFileSync("wat2wasm", [join(directory, "module.wat"), "-o", join(directory, "module.wasm")], { stdio: ["ignore", "ignore", "pipe"] });
    return new Uint8Array(readFileSync(join(directory, "module.wasm")));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The code blob of a `delos` component (section 12, docs/delos-format.md). */
export function componentCode(component: Uint8Array): Uint8Array {
  const view = new DataView(component.buffer, component.byteOffset, component.byteLength);
  let at = 12;
  while (at < component.length) {
    const id = component[at]!, size = view.getUint32(at + 1, true);
    if (id === 12) return component.subarray(at + 5, at + 5 + size);
    at += 5 + size;
  }
  throw new Error("no code section");
}

function compileError(run: () => unknown): string {
  try { run(); } catch (error) { if (error instanceof CompileError || error instanceof BootStubError) return error.message; throw error; }
  return "";
}

const INTRINSICS = `(module
  (import "x86" "inb" (func $inb (param i32) (result i32)))
  (import "x86" "outw" (func $outw (param i32 i32)))
  (import "x86" "read_cr3" (func $readCr3 (result i64)))
  (import "x86" "write_cr4" (func $writeCr4 (param i64)))
  (import "x86" "lidt" (func $lidt (param i64)))
  (import "x86" "ltr" (func $ltr (param i32)))
  (import "x86" "load_segments" (func $loadSegments (param i32 i32)))
  (import "x86" "sti_hlt" (func $stiHlt))
  (import "x86" "rdtsc" (func $rdtsc (result i64)))
  (import "x86" "rdmsr" (func $rdmsr (param i32) (result i64)))
  (import "x86" "wrmsr" (func $wrmsr (param i32 i64)))
  (import "x86" "invlpg" (func $invlpg (param i64)))
  (import "x86" "cpuid" (func $cpuid (param i32 i32 i32) (result i32)))
  (import "x86" "switch_context" (func $switch (param i64 i64)))
  (func (export "f") (param i32) (result i64)
    (call $outw (i32.const 0x3f8) (call $inb (local.get 0)))
    (call $writeCr4 (call $readCr3))
    (call $lidt (i64.const 4096))
    (call $ltr (i32.const 0x18))
    (call $loadSegments (i32.const 8) (i32.const 16))
    (call $stiHlt)
    (call $wrmsr (i32.const 0xc0000100) (call $rdmsr (i32.const 0x1b)))
    (call $invlpg (i64.const 8192))
    (call $switch (i64.const 100) (i64.const 200))
    (i64.add (call $rdtsc) (i64.extend_i32_u (call $cpuid (i32.const 0) (i32.const 0) (local.get 0))))))`;

export function register(test: TestFunction): void {
  test("x86 intrinsics expand inline (objdump)", (t) => {
    const code = componentCode(compileComponent(wat(INTRINSICS), { privileged: true }));
    const directory = mkdtempSync(join(tmpdir(), "delos-x86-"));
    try {
      writeFileSync(join(directory, "code.bin"), code);
      const listing = runTool("objdump", ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", join(directory, "code.bin")]).output;
      const instructions = listing.split("\n").map((line) => /^\s*[0-9a-f]+:\t(?:[0-9a-f]{2} )+\s*\t(.*)$/.exec(line)?.[1]?.replace(/\s+/g, " ").trim()).filter((x): x is string => !!x);
      const expected: Array<[RegExp, string]> = [
        [/^in al,dx$/, "inb"], [/^out dx,ax$/, "outw"], [/^mov r\w+,cr3$/, "read_cr3"], [/^mov cr4,r\w+$/, "write_cr4"],
        [/^lidt \[r\w+\]$/, "lidt"], [/^ltr \w+$/, "ltr"], [/^mov ss,\w+$/, "load_segments: ss"], [/^mov ds,\w+$/, "load_segments: ds"],
        [/^retfq$/, "load_segments: cs by far return"], [/^sti$/, "sti_hlt: sti"], [/^hlt$/, "sti_hlt: hlt"], [/^rdtsc$/, "rdtsc"],
        [/^rdmsr$/, "rdmsr"], [/^wrmsr$/, "wrmsr"], [/^invlpg BYTE PTR \[r\w+\]$/, "invlpg"], [/^cpuid$/, "cpuid"],
        [/^jmp QWORD PTR \[rsi\+0x8\]$/, "switch_context: jump to the resume address"],
      ];
      for (const [pattern, what] of expected) t.ok(instructions.some((i) => pattern.test(i)), `${what} inline`);
      const stiAt = instructions.indexOf("sti");
      t.eq(instructions[stiAt + 1], "hlt", "sti_hlt: nothing between sti and hlt");
      t.ok(!instructions.some((i) => /^call r11$/.test(i)), "no intrinsic is called through an import slot");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test("x86 imports: only for privileged modules, with the intrinsic's exact type", (t) => {
    const inb = wat(`(module (import "x86" "inb" (func (param i32) (result i32))))`);
    t.ok(compileError(() => compileComponent(inb)).includes("imports x86.inb, which only privileged components may"), "unprivileged module refused");
    t.eq(compileError(() => compileComponent(inb, { privileged: true })), "", "privileged module accepted");
    const wrongType = wat(`(module (import "x86" "inb" (func (param i64) (result i32))))`);
    t.ok(compileError(() => compileComponent(wrongType, { privileged: true })).includes("x86.inb has type [i64] -> [i32], not the intrinsic's [i32] -> [i32]"), "wrong type refused");
    const unknown = wat(`(module (import "x86" "iret" (func)))`);
    t.ok(compileError(() => compileComponent(unknown, { privileged: true })).includes("unknown intrinsic x86.iret"), "unknown name refused");
  });

  test("the kernel link refuses what it cannot link", (t) => {
    const link = (module: string, privileged = true) => compileError(() => buildBootStub({ kernelComponent: compileComponent(wat(module), { privileged }) }));
    const exports = `(memory 1) (func $m (param i64 i64)) (func $i (param i64) (result i32) (i32.const 0)) (func $g (param i64 i32) (result i32) (i32.const -1)) (func $f (param i32 i64))
      (export "main" (func $m)) (export "interrupt" (func $i)) (export "growMemory" (func $g)) (export "fatalTrap" (func $f))`;
    t.eq(link(`(module ${exports})`), "", "a minimal kernel links");
    t.ok(link(`(module ${exports})`, false).includes("kernel link: the kernel must be compiled as a privileged component"), "unprivileged component refused");
    t.ok(link(`(module (import "env" "seed" (func)) ${exports})`).includes("kernel link: the kernel imports env.seed; it may import only intrinsics"), "other imports refused");
    t.ok(link(`(module (memory 1))`).includes("kernel link: the kernel exports no function main"), "missing entry points refused");
    t.ok(link(`(module ${exports.replace('(func $m (param i64 i64))', '(func $m (param i32))')})`).includes("kernel link: the kernel's main has type [i32] -> [], not [i64 i64] -> []"), "wrong entry type refused");
    t.ok(link(`(module ${exports.replace("(memory 1)", "")})`).includes("kernel link: the kernel must define exactly one memory"), "a kernel without memory refused");
    // The native fast paths come with fastPathResume, and then need directSendEnd and every offset and global they
    // are built from.
    const resumeOnly = `(func $r) (export "fastPathResume" (func $r))`;
    t.ok(link(`(module ${exports} ${resumeOnly})`).includes("kernel link: the kernel exports no function directSendEnd"), "native fast paths without directSendEnd refused");
    const resume = `${resumeOnly} (func $d (param i32 i32 i64 i32 i32 i32 i32 i32 i32) (result i32) (i32.const 0)) (export "directSendEnd" (func $d))`;
    t.ok(link(`(module ${exports} ${resume})`).includes("kernel link: the kernel exports no global THREAD_ID (native fast path)"), "native fast paths without the kernel's layout refused");
    t.ok(link(`(module ${exports} ${resume} (global $t (mut i32) (i32.const 0)) (export "THREAD_ID" (global $t)))`)
      .includes("kernel link: the kernel's THREAD_ID is not an integer constant (native fast path)"), "a mutable offset refused");
  });

  test("BOOTX64.EFI with the kernel: sections, relocations, link info, reproducible", (t) => {
    const kernel = buildKernel();
    const build = () => buildBootStub({ kernelComponent: kernel.component, kernelWasm: kernel.wasm, listMemoryMap: false });
    const efi = build();
    t.ok(Buffer.from(efi).equals(Buffer.from(build())), "two links are byte-identical");
    const pe = readPe(efi);
    t.eq(pe.sections.map((s) => s.name), [".text", ".data", ".kdata", ".kmem", ".reloc"], "sections in order, the kernel's memory last before .reloc");
    const [text, data, kdata, kmem] = pe.sections;
    t.eq(text!.characteristics, 0x60000020, ".text is code");
    t.eq([data!.rawSize, kdata!.characteristics, kmem!.characteristics], [0, 0xc0000040, 0xc0000040], ".data zero-filled, .kdata and .kmem writable data");
    t.eq(kmem!.virtualSize, 16 * 65536, ".kmem holds the kernel's 16 initial wasm pages");
    t.ok(pe.relocationDirectory.size > 0, "absolute addresses in .kdata are base relocations");
    t.eq(pe.checksum, peChecksum(efi, pe.checksumAt), "checksum");
    const body = efi.subarray(kdata!.rawOffset, kdata!.rawOffset + kdata!.rawSize);
    t.eq(new TextDecoder().decode(body.subarray(0, 8)), "DELOSLK1", "the link info block opens .kdata");
    const linkInfo = new DataView(body.buffer, body.byteOffset, 256);
    const imageBase = pe.imageBase;
    const vectors = linkInfo.getBigUint64(96, true) - imageBase;
    t.ok(vectors > BigInt(text!.rva) && vectors < BigInt(text!.rva + text!.virtualSize), "the vector stubs are in .text (address at the preferred base)");
    t.eq(linkInfo.getBigUint64(104, true), 16n, "16 bytes per vector stub");
    t.ok(efi.length < 1024 * 1024, `BOOTX64.EFI with the kernel is ${efi.length} bytes`);
    console.log(`kernel-link: BOOTX64.EFI ${efi.length} bytes with the kernel (wasm ${kernel.wasm.length}, component ${kernel.component.length})`);
  });
}
