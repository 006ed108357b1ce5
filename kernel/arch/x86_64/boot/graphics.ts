// The boot screen: finds the Graphics Output Protocol, switches to the
// preferred mode when the firmware offers it, records the framebuffer in the
// boot info and draws the boot screen (screen.ts) straight into the
// framebuffer, as the kernel will later. After drawing, the firmware console
// is silenced so that its text cannot overwrite the picture.

import { Alu, Cond, Reg, Shift, mem, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import {
  BOOT_LOCATE_PROTOCOL, GOP_MODE, GOP_QUERY_MODE, GOP_SET_MODE, GRAPHICS_OUTPUT_GUID, INFO_HEIGHT, INFO_PIXEL_FORMAT,
  INFO_PIXELS_PER_SCAN_LINE, INFO_WIDTH, MODE_FRAMEBUFFER_BASE, MODE_FRAMEBUFFER_SIZE, MODE_INFO, MODE_MAX_MODE,
  PIXEL_BGR, TEXT_ENABLE_CURSOR,
} from "./efi";
import {
  INFO_FRAMEBUFFER_BASE, INFO_FRAMEBUFFER_FORMAT, INFO_FRAMEBUFFER_HEIGHT, INFO_FRAMEBUFFER_SIZE, INFO_FRAMEBUFFER_STRIDE,
  INFO_FRAMEBUFFER_WIDTH,
} from "./boot-info";
import { BACKGROUND, BAR, BAR_GAP_DIVISOR, BAR_HEIGHT, BAR_WIDTH_DIVISOR, MARK, MARK_DIVISOR } from "./screen";
import { BOOT_INFO, BOOT_SERVICES, StubContext } from "./context";

/** eax = eax / divisor (unsigned); clobbers rcx, rdx. */
function divide(c: StubContext, divisor: i32): void {
  const asm = c.p.asm;
  asm.xor(4, Reg.RDX, Reg.RDX);
  asm.movImm(4, Reg.RCX, divisor);
  asm.div(4, Reg.RCX);
}

export function emitGraphics(c: StubContext): void {
  const asm = c.p.asm;

  // fill_rect(ecx = x, edx = y, r8d = width, r9d = height, eax = 0xRRGGBB). For RGB framebuffers
  // (byte 0 red) the colour is byte-swapped; BGR framebuffers take 0x00RRGGBB as it is.
  asm.bind(c.fillRect);
  {
    const native = asm.newLabel(), row = asm.newLabel(), done = asm.newLabel();
    asm.cmpMemImm(4, mem(BOOT_INFO, INFO_FRAMEBUFFER_FORMAT), PIXEL_BGR);
    asm.jcc(Cond.E, native);
    asm.bswap(4, Reg.RAX);
    asm.shiftImm(Shift.SHR, 4, Reg.RAX, 8);
    asm.bind(native);
    asm.loadZeroExtend(4, Reg.R10, mem(BOOT_INFO, INFO_FRAMEBUFFER_STRIDE));
    asm.mov(4, Reg.R11, Reg.RDX);
    asm.imul(8, Reg.R11, Reg.R10);
    asm.add(8, Reg.R11, Reg.RCX);
    asm.shiftImm(Shift.SHL, 8, Reg.R11, 2);
    asm.aluLoad(Alu.ADD, 8, Reg.R11, mem(BOOT_INFO, INFO_FRAMEBUFFER_BASE));
    asm.shiftImm(Shift.SHL, 8, Reg.R10, 2);
    asm.bind(row);
    asm.test(4, Reg.R9, Reg.R9);
    asm.jcc(Cond.E, done);
    asm.mov(8, Reg.RDI, Reg.R11);
    asm.mov(4, Reg.RCX, Reg.R8);
    asm.repStos(4);
    asm.add(8, Reg.R11, Reg.R10);
    asm.subImm(4, Reg.R9, 1);
    asm.jmp(row);
    asm.bind(done);
    asm.ret();
  }

  // draw_boot_screen: background, mark, bar (geometry in screen.ts). Uses rbx, r14 (saved).
  asm.bind(c.drawBootScreen);
  {
    asm.push(Reg.RBX);
    asm.push(Reg.R14);
    asm.subImm(8, Reg.RSP, 8);
    // background over the whole screen
    asm.xor(4, Reg.RCX, Reg.RCX);
    asm.xor(4, Reg.RDX, Reg.RDX);
    asm.load(4, Reg.R8, mem(BOOT_INFO, INFO_FRAMEBUFFER_WIDTH));
    asm.load(4, Reg.R9, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT));
    asm.movImm(4, Reg.RAX, BACKGROUND);
    asm.call(c.fillRect);
    // ebx = S = H / 6
    asm.load(4, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT));
    divide(c, MARK_DIVISOR);
    asm.mov(4, Reg.RBX, Reg.RAX);
    // mark at ((W - S) / 2, (H - S) / 2), S x S
    asm.load(4, Reg.R14, mem(BOOT_INFO, INFO_FRAMEBUFFER_WIDTH));
    asm.sub(4, Reg.R14, Reg.RBX);
    asm.shiftImm(Shift.SHR, 4, Reg.R14, 1);
    asm.load(4, Reg.RDX, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT));
    asm.sub(4, Reg.RDX, Reg.RBX);
    asm.shiftImm(Shift.SHR, 4, Reg.RDX, 1);
    asm.mov(4, Reg.RCX, Reg.R14);
    asm.mov(4, Reg.R8, Reg.RBX);
    asm.mov(4, Reg.R9, Reg.RBX);
    asm.movImm(4, Reg.RAX, MARK);
    asm.call(c.fillRect);
    // r14 = bar y = (H + S) / 2 + H / 24
    asm.load(4, Reg.R14, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT));
    asm.add(4, Reg.R14, Reg.RBX);
    asm.shiftImm(Shift.SHR, 4, Reg.R14, 1);
    asm.load(4, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT));
    divide(c, BAR_GAP_DIVISOR);
    asm.add(4, Reg.R14, Reg.RAX);
    // ebx = bar width = W / 3; bar x = (W - W / 3) / 2
    asm.load(4, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_WIDTH));
    divide(c, BAR_WIDTH_DIVISOR);
    asm.mov(4, Reg.RBX, Reg.RAX);
    asm.load(4, Reg.RCX, mem(BOOT_INFO, INFO_FRAMEBUFFER_WIDTH));
    asm.sub(4, Reg.RCX, Reg.RBX);
    asm.shiftImm(Shift.SHR, 4, Reg.RCX, 1);
    asm.mov(4, Reg.RDX, Reg.R14);
    asm.mov(4, Reg.R8, Reg.RBX);
    asm.movImm(4, Reg.R9, BAR_HEIGHT);
    asm.movImm(4, Reg.RAX, BAR);
    asm.call(c.fillRect);
    asm.addImm(8, Reg.RSP, 8);
    asm.pop(Reg.R14);
    asm.pop(Reg.RBX);
    asm.ret();
  }

  // setup_graphics: GOP, preferred mode, framebuffer into boot info, boot screen.
  asm.bind(c.setupGraphics);
  {
    const noGop = asm.newLabel(), query = asm.newLabel(), next = asm.newLabel(), chosen = asm.newLabel();
    const record = asm.newLabel(), undrawable = asm.newLabel(), done = asm.newLabel();
    asm.push(Reg.RBX);
    asm.push(Reg.R14);
    asm.subImm(8, Reg.RSP, 40);
    asm.lea(8, Reg.RCX, memLabel(c.p.guid(GRAPHICS_OUTPUT_GUID)));
    asm.xor(4, Reg.RDX, Reg.RDX);
    asm.lea(8, Reg.R8, memLabel(c.gop));
    asm.callMem(mem(BOOT_SERVICES, BOOT_LOCATE_PROTOCOL));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, noGop);
    // for (r14 = 0; r14 < MaxMode; r14++) if QueryMode(r14) is the preferred size: SetMode(r14)
    asm.xor(4, Reg.R14, Reg.R14);
    asm.bind(query);
    asm.load(8, Reg.RBX, memLabel(c.gop));
    asm.load(8, Reg.RAX, mem(Reg.RBX, GOP_MODE));
    asm.cmpLoad(4, Reg.R14, mem(Reg.RAX, MODE_MAX_MODE));
    asm.jcc(Cond.AE, record);
    asm.mov(8, Reg.RCX, Reg.RBX);
    asm.mov(4, Reg.RDX, Reg.R14);
    asm.lea(8, Reg.R8, memLabel(c.sizeOfInfo));
    asm.lea(8, Reg.R9, memLabel(c.modeInfo));
    asm.callMem(mem(Reg.RBX, GOP_QUERY_MODE));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, next);
    asm.load(8, Reg.RAX, memLabel(c.modeInfo));
    asm.cmpMemImm(4, mem(Reg.RAX, INFO_WIDTH), c.preferredWidth);
    asm.jcc(Cond.NE, next);
    asm.cmpMemImm(4, mem(Reg.RAX, INFO_HEIGHT), c.preferredHeight);
    asm.jcc(Cond.E, chosen);
    asm.bind(next);
    asm.addImm(4, Reg.R14, 1);
    asm.jmp(query);
    asm.bind(chosen);
    asm.mov(8, Reg.RCX, Reg.RBX);
    asm.mov(4, Reg.RDX, Reg.R14);
    asm.callMem(mem(Reg.RBX, GOP_SET_MODE));
    // record the current mode in the boot info
    asm.bind(record);
    asm.load(8, Reg.RBX, memLabel(c.gop));
    asm.load(8, Reg.RBX, mem(Reg.RBX, GOP_MODE));
    asm.load(8, Reg.RAX, mem(Reg.RBX, MODE_FRAMEBUFFER_BASE));
    asm.store(8, mem(BOOT_INFO, INFO_FRAMEBUFFER_BASE), Reg.RAX);
    asm.load(8, Reg.RAX, mem(Reg.RBX, MODE_FRAMEBUFFER_SIZE));
    asm.store(8, mem(BOOT_INFO, INFO_FRAMEBUFFER_SIZE), Reg.RAX);
    asm.load(8, Reg.RBX, mem(Reg.RBX, MODE_INFO));
    asm.loadZeroExtend(4, Reg.RAX, mem(Reg.RBX, INFO_WIDTH));
    asm.store(8, mem(BOOT_INFO, INFO_FRAMEBUFFER_WIDTH), Reg.RAX);
    asm.loadZeroExtend(4, Reg.RAX, mem(Reg.RBX, INFO_HEIGHT));
    asm.store(8, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT), Reg.RAX);
    asm.loadZeroExtend(4, Reg.RAX, mem(Reg.RBX, INFO_PIXELS_PER_SCAN_LINE));
    asm.store(8, mem(BOOT_INFO, INFO_FRAMEBUFFER_STRIDE), Reg.RAX);
    asm.loadZeroExtend(4, Reg.RAX, mem(Reg.RBX, INFO_PIXEL_FORMAT));
    asm.store(8, mem(BOOT_INFO, INFO_FRAMEBUFFER_FORMAT), Reg.RAX);
    c.log("boot: framebuffer ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_WIDTH));
    c.logValue(Reg.RAX, false);
    c.log("x");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_HEIGHT));
    c.logValue(Reg.RAX, false);
    c.log(" stride ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_STRIDE));
    c.logValue(Reg.RAX, false);
    c.log(" format ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_FORMAT));
    c.logValue(Reg.RAX, false);
    c.log(" at ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_FRAMEBUFFER_BASE));
    c.logValue(Reg.RAX, true);
    c.log("\n");
    asm.cmpMemImm(4, mem(BOOT_INFO, INFO_FRAMEBUFFER_FORMAT), PIXEL_BGR);
    asm.jcc(Cond.A, undrawable);
    // Hide the firmware's text cursor and stop console output, then draw.
    asm.load(8, Reg.RCX, memLabel(c.conOut));
    asm.xor(4, Reg.RDX, Reg.RDX);
    asm.callMem(mem(Reg.RCX, TEXT_ENABLE_CURSOR));
    asm.storeImm(8, memLabel(c.consoleActive), 0);
    asm.call(c.drawBootScreen);
    c.log("boot: boot screen drawn\n");
    asm.jmp(done);
    asm.bind(undrawable);
    c.log("boot: framebuffer pixel format is not RGB or BGR; no boot screen\n");
    asm.jmp(done);
    asm.bind(noGop);
    c.log("boot: no graphics output protocol; no boot screen\n");
    asm.bind(done);
    asm.addImm(8, Reg.RSP, 40);
    asm.pop(Reg.R14);
    asm.pop(Reg.RBX);
    asm.ret();
  }
}
