// The Bochs DISPI interface of QEMU's std VGA and bochs-display: 16-bit
// registers in the MMIO BAR (BAR 2) from offset 0x500, register i at
// 0x500 + 2i. The mode lives in these registers and the picture in the
// framebuffer (BAR 0), both in the device, so a driver that starts reads
// the mode there instead of setting one: a restarted driver adopts what the
// last one left, and the screen never blanks.

const DISPI_OFFSET: usize = 0x500;
const INDEX_ID: u32 = 0;
const INDEX_XRES: u32 = 1;
const INDEX_YRES: u32 = 2;
const INDEX_BPP: u32 = 3;
const INDEX_ENABLE: u32 = 4;
const INDEX_VIRT_WIDTH: u32 = 6;
const INDEX_VIRT_HEIGHT: u32 = 7;
const INDEX_X_OFFSET: u32 = 8;
const INDEX_Y_OFFSET: u32 = 9;
const INDEX_VIDEO_MEMORY_64K: u32 = 10;

const ENABLED: u32 = 0x01;
const LINEAR_FRAMEBUFFER: u32 = 0x40;
/** Keep the framebuffer's bytes when the mode changes. */
const NO_CLEAR: u32 = 0x80;
/** The lowest DISPI version with the registers used here (0xB0C0 + n). */
const ID_MINIMUM: u32 = 0xb0c2;
const BITS_PER_PIXEL: u32 = 32;

/** The DISPI registers at `registers` (the MMIO BAR, mapped uncached). */
export class Dispi {
  constructor(readonly registers: usize) {}

  read(index: u32): u32 { return <u32>load<u16>(this.registers + DISPI_OFFSET + 2 * <usize>index); }
  write(index: u32, value: u32): void { store<u16>(this.registers + DISPI_OFFSET + 2 * <usize>index, <u16>value); }

  get present(): bool { const id = this.read(INDEX_ID); return id >= ID_MINIMUM && id <= 0xb0cf; }
  get width(): u32 { return this.read(INDEX_XRES); }
  get height(): u32 { return this.read(INDEX_YRES); }
  get pitch(): u32 { return this.read(INDEX_VIRT_WIDTH) * (BITS_PER_PIXEL / 8); }
  /** Bytes of video memory the device has. */
  get videoMemory(): u32 { return this.read(INDEX_VIDEO_MEMORY_64K) << 16; }

  /** A mode is set that the driver can serve: enabled, linear, 32 bits per pixel, not panned. */
  get usable(): bool {
    const enable = this.read(INDEX_ENABLE);
    return (enable & (ENABLED | LINEAR_FRAMEBUFFER)) == (ENABLED | LINEAR_FRAMEBUFFER) && this.read(INDEX_BPP) == BITS_PER_PIXEL
      && this.width > 0 && this.height > 0 && this.read(INDEX_X_OFFSET) == 0 && this.read(INDEX_Y_OFFSET) == 0;
  }

  /** Sets width × height at 32 bits per pixel, keeping the framebuffer's bytes. */
  setMode(width: u32, height: u32): void {
    this.write(INDEX_ENABLE, 0);
    this.write(INDEX_XRES, width);
    this.write(INDEX_YRES, height);
    this.write(INDEX_BPP, BITS_PER_PIXEL);
    this.write(INDEX_VIRT_WIDTH, width);
    this.write(INDEX_VIRT_HEIGHT, height);
    this.write(INDEX_X_OFFSET, 0);
    this.write(INDEX_Y_OFFSET, 0);
    this.write(INDEX_ENABLE, ENABLED | LINEAR_FRAMEBUFFER | NO_CLEAR);
  }
}
