// The legacy 8259 interrupt controllers. The kernel takes interrupts from
// the local APIC only, so the PICs are moved off the exception vectors
// (to 0x20-0x2F, where a spurious one can be told apart from a fault) and
// every line is masked.

import { outb } from "./cpu";

export const PIC_VECTOR_BASE: i32 = 0x20;

export function disableLegacyPic(): void {
  outb(0x20, 0x11);                 // ICW1: initialise, ICW4 follows (master)
  outb(0xa0, 0x11);                 // (slave)
  outb(0x21, PIC_VECTOR_BASE);      // ICW2: vector offsets
  outb(0xa1, PIC_VECTOR_BASE + 8);
  outb(0x21, 0x04);                 // ICW3: slave on line 2
  outb(0xa1, 0x02);
  outb(0x21, 0x01);                 // ICW4: 8086 mode
  outb(0xa1, 0x01);
  outb(0x21, 0xff);                 // mask everything
  outb(0xa1, 0xff);
}
