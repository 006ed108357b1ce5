// What the processor says about itself through cpuid: its vendor and brand
// strings, printed at boot.

import * as console from "../../console";
import { cpuid } from "./cpu";

function printRegister(value: i32): void {
  for (let i = 0; i < 4; i++) {
    const character = (value >>> (8 * i)) & 0xff;
    if (character >= 0x20 && character < 0x7f) console.character(character);
  }
}

export function reportCpu(): void {
  console.begin();
  console.text("cpu: ");
  printRegister(cpuid(0, 0, 1));
  printRegister(cpuid(0, 0, 3));
  printRegister(cpuid(0, 0, 2));
  if (<u32>cpuid(0x80000000, 0, 0) >= 0x80000004) {
    console.text(", ");
    for (let leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
      for (let register = 0; register < 4; register++) printRegister(cpuid(leaf, 0, register));
    }
  }
  console.end();
}
