// The boot stub generator as a library: the entry points its host calls
// (the same protocol as the compiler and the image writer). Commands:
//   1 stub:  inputs[0] (optional) "DBOT" version:u32(=1) width:u32 height:u32
//            flags:u32 (bit 0: list every memory map region; bit 1: inputs[1]
//            is a kernel component to link; bit 2: the test-faults boot option)
//            -> BOOTX64.EFI
//            inputs[1] (optional): the kernel's machine code (config u32 at 20:
//            its entry offset), or with flag bit 1 the kernel component;
//            inputs[2] (optional): the kernel's wasm, for names in fault reports
//   2 cases: the system-instruction encodings and their listing, for tests.
//   3 test kernel: the stand-in kernel of the hand-off test (test-kernel.ts).

import { buildStub, StubOptions } from "./stub";
import { systemCases } from "./cases";
import { testKernel } from "./test-kernel";
import { BOOT_OPTION_TEST_FAULTS } from "./boot-info";

const inputs: Uint8Array[] = [];
let output: Uint8Array = new Uint8Array(0);
let listing: ArrayBuffer = new ArrayBuffer(0);
let message: ArrayBuffer = new ArrayBuffer(0);

const CONFIG_MAGIC: u32 = 0x544f4244; // "DBOT"
const FLAG_LIST_MEMORY_MAP: u32 = 1;
const FLAG_KERNEL_COMPONENT: u32 = 2;
const FLAG_TEST_FAULTS: u32 = 4;

export function inputAlloc(length: i32): usize {
  const buffer = new Uint8Array(length);
  inputs.push(buffer);
  return buffer.dataStart;
}

function readOptions(): StubOptions | null {
  const options = new StubOptions();
  if (inputs.length == 0) return options;
  const config = inputs[0];
  if (config.length < 20 || load<u32>(config.dataStart) != CONFIG_MAGIC || load<u32>(config.dataStart + 4) != 1) {
    message = String.UTF8.encode("boot stub: not a version 1 configuration");
    return null;
  }
  options.preferredWidth = load<i32>(config.dataStart + 8);
  options.preferredHeight = load<i32>(config.dataStart + 12);
  const flags = load<u32>(config.dataStart + 16);
  options.listMemoryMap = (flags & FLAG_LIST_MEMORY_MAP) != 0;
  if ((flags & FLAG_TEST_FAULTS) != 0) options.bootOptions |= BOOT_OPTION_TEST_FAULTS;
  if (inputs.length > 1 && (flags & FLAG_KERNEL_COMPONENT) != 0) {
    options.kernelComponent = inputs[1];
    if (inputs.length > 2) options.kernelWasm = inputs[2];
  } else if (inputs.length > 1) {
    options.kernel = inputs[1];
    options.kernelEntry = config.length >= 24 ? load<i32>(config.dataStart + 20) : 0;
  }
  return options;
}

export function run(command: i32): i32 {
  if (command == 1) {
    const options = readOptions();
    if (options == null) return 1;
    const result = buildStub(options);
    const image = result.image;
    if (image == null) {
      message = String.UTF8.encode("boot stub: " + result.error);
      return 1;
    }
    output = image;
    return 0;
  }
  if (command == 2) {
    const cases = systemCases();
    if (!cases.asm.finish()) { message = String.UTF8.encode(cases.asm.error); return 1; }
    output = cases.asm.buffer.toBytes();
    listing = String.UTF8.encode(cases.listing);
    return 0;
  }
  if (command == 3) {
    const kernel = testKernel();
    if (kernel == null) { message = String.UTF8.encode("test kernel: assembly failed"); return 1; }
    output = kernel;
    return 0;
  }
  message = String.UTF8.encode("boot stub: unknown command " + command.toString());
  return 2;
}

export function outputPtr(): usize { return output.dataStart; }
export function outputLength(): i32 { return output.length; }
export function listingPtr(): usize { return changetype<usize>(listing); }
export function listingLength(): i32 { return listing.byteLength; }
export function messagePtr(): usize { return changetype<usize>(message); }
export function messageLength(): i32 { return message.byteLength; }
