// The kernel's boot screen. It redraws what the boot stub drew (background,
// mark and bar: boot/screen.ts) and fills the bar with READY in four
// segments, one per boot stage, so that the last picture before the
// desktop shows the kernel got there. docs/boot.md gives the exact colours
// and places; tests compare pixels of a screendump with them.

import {
  BACKGROUND, BAR, BAR_GAP_DIVISOR, BAR_HEIGHT, BAR_WIDTH_DIVISOR, MARK, MARK_DIVISOR,
} from "./arch/x86_64/boot/screen";
import { fillRect, framebufferHeight, framebufferWidth, hasFramebuffer } from "./arch/x86_64/framebuffer";

/** The colour of the bar's finished segments. */
export const READY: u32 = 0x5fd38d;
export const STAGE_COUNT: i32 = 4;
export const STAGE_DESCRIPTOR_TABLES: i32 = 0;
export const STAGE_MEMORY: i32 = 1;
export const STAGE_TIMER: i32 = 2;
export const STAGE_READY: i32 = 3;

function barX(): i32 { return (framebufferWidth() - barWidth()) / 2; }
function barY(): i32 {
  const height = framebufferHeight();
  return (height + height / MARK_DIVISOR) / 2 + height / BAR_GAP_DIVISOR;
}
function barWidth(): i32 { return framebufferWidth() / BAR_WIDTH_DIVISOR; }

/** Background, mark and the empty bar. */
export function drawBootScreen(): bool {
  if (!hasFramebuffer()) return false;
  const width = framebufferWidth(), height = framebufferHeight();
  const side = height / MARK_DIVISOR;
  fillRect(0, 0, width, height, <u32>BACKGROUND);
  fillRect((width - side) / 2, (height - side) / 2, side, side, <u32>MARK);
  fillRect(barX(), barY(), barWidth(), BAR_HEIGHT, <u32>BAR);
  return true;
}

/**
 * Fills segment `stage` of the bar: segment i spans [i * W/3 / 4, (i + 1) *
 * W/3 / 4) of the bar, the last one up to the bar's end.
 */
export function showStage(stage: i32): void {
  if (!hasFramebuffer()) return;
  const width = barWidth();
  const segment = width / STAGE_COUNT;
  const start = stage * segment;
  const end = stage == STAGE_COUNT - 1 ? width : start + segment;
  fillRect(barX() + start, barY(), end - start, BAR_HEIGHT, READY);
}
