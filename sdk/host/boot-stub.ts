// Runs the boot stub generator (AssemblyScript, kernel/arch/x86_64/boot,
// built to build/boot.wasm) inside Node: it assembles BOOTX64.EFI.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "./paths";

export class BootStubError extends Error {}

export interface BootStubOptions {
  /** The GOP mode the stub switches to when the firmware offers it. */
  width?: number;
  height?: number;
  /** Print every memory map region on COM1 (default true). */
  listMemoryMap?: boolean;
  /** The kernel's position-independent machine code, called with the boot info in rdi. */
  kernel?: Uint8Array;
  /** Offset of the kernel's entry point in `kernel` (default 0). */
  kernelEntry?: number;
  /** Or the kernel as a privileged component, linked statically after the stub (docs/kernel.md). */
  kernelComponent?: Uint8Array;
  /** The kernel's wasm, for function names in its fault reports. */
  kernelWasm?: Uint8Array;
  /** The kernel takes serial keys that trigger deliberate faults (test images). */
  testFaults?: boolean;
}

/** Flag bits of the stub generator's configuration (kernel/arch/x86_64/boot/index.ts). */
const FLAG_LIST_MEMORY_MAP = 1;
const FLAG_KERNEL_COMPONENT = 2;
const FLAG_TEST_FAULTS = 4;

interface StubExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  inputAlloc(length: number): number;
  run(command: number): number;
  outputPtr(): number;
  outputLength(): number;
  listingPtr(): number;
  listingLength(): number;
  messagePtr(): number;
  messageLength(): number;
}

let compiled: WebAssembly.Module | null = null;

function runGenerator(command: number, inputs: Uint8Array[]): { output: Uint8Array; listing: string } {
  compiled ??= new WebAssembly.Module(readFileSync(join(buildDir, "boot.wasm")));
  const instance = new WebAssembly.Instance(compiled, {
    env: {
      abort(_message: number, _file: number, line: number, column: number) {
        throw new BootStubError(`boot stub generator aborted at line ${line}:${column}`);
      },
      trace() {},
      seed() { return 0; },
    },
  });
  const exports = instance.exports as unknown as StubExports;
  exports._initialize?.();
  for (const input of inputs) {
    const ptr = exports.inputAlloc(input.length);
    new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
  }
  const status = exports.run(command);
  const text = (ptr: number, length: number) => new TextDecoder().decode(new Uint8Array(exports.memory.buffer, ptr, length));
  if (status !== 0) throw new BootStubError(text(exports.messagePtr(), exports.messageLength()));
  return {
    output: new Uint8Array(exports.memory.buffer, exports.outputPtr(), exports.outputLength()).slice(),
    listing: text(exports.listingPtr(), exports.listingLength()),
  };
}

/** Assembles the UEFI boot stub as a PE32+ EFI application (BOOTX64.EFI). */
export function buildBootStub(options: BootStubOptions = {}): Uint8Array {
  if (options.kernel && options.kernelComponent) throw new BootStubError("give the kernel as machine code or as a component, not both");
  const flags = (options.listMemoryMap === false ? 0 : FLAG_LIST_MEMORY_MAP)
    | (options.kernelComponent ? FLAG_KERNEL_COMPONENT : 0) | (options.testFaults ? FLAG_TEST_FAULTS : 0);
  const config = new Uint32Array([0x544f4244, 1, options.width ?? 1024, options.height ?? 768, flags, options.kernelEntry ?? 0]);
  const inputs: Uint8Array[] = [new Uint8Array(config.buffer)];
  if (options.kernel) inputs.push(options.kernel);
  if (options.kernelComponent) inputs.push(options.kernelComponent, ...(options.kernelWasm ? [options.kernelWasm] : []));
  return runGenerator(1, inputs).output;
}

/** The system-instruction encodings with "offset length text" lines, for the encoding test. */
export function systemInstructionCases(): { code: Uint8Array; listing: string } {
  const { output, listing } = runGenerator(2, []);
  return { code: output, listing };
}

/** The stand-in kernel of the hand-off test: checks the boot info, prints "kernel: boot info ok", exits QEMU with status 33. */
export function testKernel(): Uint8Array {
  return runGenerator(3, []).output;
}
