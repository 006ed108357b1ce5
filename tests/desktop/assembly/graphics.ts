// Test program for the desktop's drawing library (desktop/lib), run in V8 by
// tests/desktop/graphics.test.ts: the host passes an atlas and strings in,
// reads surfaces back, and compares them with its own layout
// (sdk/host/glyph-atlas.ts) and with what each operation should do.

import { Rect, Surface, blend } from "../../../desktop/lib/surface";
import { Font, fontError } from "../../../desktop/lib/text";

let font: Font | null = null;
let surface: Surface = Surface.allocate(1, 1);
let message = "";

export function allocate(bytes: u32): usize { return heap.alloc(bytes); }

/** 1 when the atlas at `data` opens; otherwise 0 and `messageText` says why. */
export function openFont(data: usize, length: u32): i32 {
  font = Font.open(data, length);
  message = fontError != null ? fontError! : "";
  return font != null ? 1 : 0;
}

export function messageText(): string { return message; }

export function newSurface(width: i32, height: i32, colour: u32): usize {
  surface = Surface.allocate(width, height);
  surface.fill(surface.bounds, colour);
  return surface.pixels;
}

/** Draws `text` at (x, top) in `colour`, clipped to the given rectangle; returns measure's width. */
export function drawText(text: string, x: i32, top: i32, colour: u32, clipX: i32, clipY: i32, clipWidth: i32, clipHeight: i32): i32 {
  const drawn = font!.draw(surface, x, top, text, colour, new Rect(clipX, clipY, clipWidth, clipHeight));
  assert(drawn == font!.measure(text), "draw and measure disagree");
  return drawn;
}

export function fontLineHeight(): i32 { return font!.lineHeight; }
export function fontAscent(): i32 { return font!.ascent; }
export function fontMonospace(): i32 { return font!.monospace ? 1 : 0; }

export function fill(x: i32, y: i32, width: i32, height: i32, colour: u32): void { surface.fill(new Rect(x, y, width, height), colour); }
export function frame(x: i32, y: i32, width: i32, height: i32, thickness: i32, colour: u32): void {
  surface.frame(new Rect(x, y, width, height), thickness, colour);
}
export function copyWithin(x: i32, y: i32, width: i32, height: i32, toX: i32, toY: i32): void {
  surface.copyFrom(surface, new Rect(x, y, width, height), toX, toY);
}
export function blendColours(foreground: u32, background: u32, coverage: u32): u32 { return blend(foreground, background, coverage); }
