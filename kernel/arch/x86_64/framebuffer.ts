// The GOP framebuffer the boot stub chose (boot info INFO_FRAMEBUFFER_*),
// drawn on directly through the direct map: 32-bit pixels, `stride` pixels
// per row. Colours are 0xRRGGBB; a BGRX framebuffer (format 1, OVMF's)
// takes them as they are, an RGBX one (format 0) with red and blue swapped;
// other formats are not drawn on. Once a component holds the framebuffer
// (a device memory object over it: the display driver), the kernel draws
// there no more.

import { phys } from "../../memory/physical";
import {
  INFO_FRAMEBUFFER_BASE, INFO_FRAMEBUFFER_FORMAT, INFO_FRAMEBUFFER_HEIGHT, INFO_FRAMEBUFFER_STRIDE,
  INFO_FRAMEBUFFER_WIDTH,
} from "./boot/boot-info";
import { boot } from "./handoff";
import { store32 } from "./native";

const FORMAT_RGB: i64 = 0;
const FORMAT_BGR: i64 = 1;

export function framebufferWidth(): i32 { return <i32>boot(INFO_FRAMEBUFFER_WIDTH); }
export function framebufferHeight(): i32 { return <i32>boot(INFO_FRAMEBUFFER_HEIGHT); }

/** A device memory object covered part of the framebuffer: it is the display driver's. */
let released = false;

/** A device memory object over [start, end) was made: when it overlaps the framebuffer, the kernel stops drawing there. */
export function releaseBootFramebuffer(start: u64, end: u64): void {
  const base = <u64>boot(INFO_FRAMEBUFFER_BASE);
  const bytes = <u64>boot(INFO_FRAMEBUFFER_STRIDE) * 4 * <u64>boot(INFO_FRAMEBUFFER_HEIGHT);
  if (base != 0 && start < base + bytes && base < end) released = true;
}

export function hasFramebuffer(): bool {
  if (released) return false;
  const format = boot(INFO_FRAMEBUFFER_FORMAT);
  return boot(INFO_FRAMEBUFFER_BASE) != 0 && (format == FORMAT_RGB || format == FORMAT_BGR);
}

export function fillRect(x: i32, y: i32, width: i32, height: i32, rgb: u32): void {
  const pixel = boot(INFO_FRAMEBUFFER_FORMAT) == FORMAT_BGR ? rgb
    : ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff);
  const stride = boot(INFO_FRAMEBUFFER_STRIDE) * 4;
  let row = phys(<u64>boot(INFO_FRAMEBUFFER_BASE)) + <i64>y * stride + <i64>x * 4;
  for (let j = 0; j < height; j++) {
    const end = row + <i64>width * 4;
    for (let at = row; at < end; at += 4) store32(at, <i32>pixel);
    row += stride;
  }
}
