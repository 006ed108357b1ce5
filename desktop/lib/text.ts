// Text from a glyph atlas (docs/glyph-atlas.md): the host rasterised the
// font once; here a line is laid out and each glyph's coverage blended onto
// a surface. The layout is the format's: the pen in 1/64 pixel, each glyph
// at the pen's whole pixel plus its bearing, glyphs blended in order. The
// host's sdk/host/glyph-atlas.ts lays out the same way, so a test knows
// exactly which pixels a line of text makes.

import { Rect, Surface } from "./surface";

const MAGIC: u32 = 0x31414744; // "DGA1"
const VERSION: u16 = 1;
const HEADER_SIZE: u32 = 32;
const RECORD_SIZE: u32 = 16;
const FLAG_MONOSPACE: u16 = 1;
const REPLACEMENT: u32 = 0xfffd;

/** Why `Font.open` refused an atlas; null when it did not. */
export let fontError: string | null = null;

export class Font {
  private constructor(
    private readonly data: usize,
    private readonly count: u32,
    private readonly replacement: u32,
    /** The em size in pixels. */
    readonly size: i32,
    /** Baseline to baseline. */
    readonly lineHeight: i32,
    /** Rows from a line's top to its baseline. */
    readonly ascent: i32,
    /** True when printable ASCII has one advance: a terminal's cell width. */
    readonly monospace: bool,
  ) {}

  /**
   * The atlas of `length` bytes at `data` (which must stay where it is), or
   * null with `fontError` saying what is wrong: every record's bitmap is
   * checked to lie inside the atlas, so drawing never reads past it.
   */
  static open(data: usize, length: u32): Font | null {
    fontError = null;
    if (length < HEADER_SIZE) return refuse("shorter than its header");
    if (load<u32>(data) != MAGIC) return refuse("not a glyph atlas (no DGA1 magic)");
    if (load<u16>(data, 4) != VERSION) return refuse("version " + load<u16>(data, 4).toString() + ", not 1");
    const count = load<u32>(data, 16);
    const bitmapBytes = load<u32>(data, 20);
    const replacement = load<u32>(data, 24);
    if (count == 0 || count > (length - HEADER_SIZE) / RECORD_SIZE) return refuse("glyph count " + count.toString() + " does not fit");
    const bitmaps = HEADER_SIZE + count * RECORD_SIZE;
    if (<u64>bitmaps + <u64>bitmapBytes != <u64>length) return refuse("its sizes do not add up to its length");
    if (replacement >= count) return refuse("no replacement glyph");
    let previous: i64 = -1;
    for (let i: u32 = 0; i < count; i++) {
      const record = data + HEADER_SIZE + i * RECORD_SIZE;
      const codepoint = load<u32>(record);
      if (<i64>codepoint <= previous) return refuse("glyph " + i.toString() + " out of order");
      previous = codepoint;
      const offset = load<u32>(record, 4);
      const size = <u64>load<u8>(record, 8) * <u64>load<u8>(record, 9);
      if (offset < bitmaps || <u64>offset + size > <u64>length) return refuse("glyph " + i.toString() + "'s bitmap lies outside the atlas");
    }
    if (load<u32>(data + HEADER_SIZE + replacement * RECORD_SIZE) != REPLACEMENT) return refuse("the replacement glyph is not U+FFFD");
    return new Font(data, count, replacement, <i32>load<u16>(data, 8), <i32>load<u16>(data, 10), <i32>load<u16>(data, 12),
      (load<u16>(data, 6) & FLAG_MONOSPACE) != 0);
  }

  /** The address of `codepoint`'s record; the replacement glyph's when the atlas lacks it. */
  glyph(codepoint: u32): usize {
    let low: i32 = 0, high = <i32>this.count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const record = this.data + HEADER_SIZE + <u32>middle * RECORD_SIZE;
      const found = load<u32>(record);
      if (found == codepoint) return record;
      if (found < codepoint) low = middle + 1; else high = middle - 1;
    }
    return this.data + HEADER_SIZE + this.replacement * RECORD_SIZE;
  }

  /** A glyph's advance in 1/64 pixel. */
  advanceOf(codepoint: u32): i32 { return <i32>load<u16>(this.glyph(codepoint), 12); }

  /** The width of `text` in pixels: the pen's end, rounded up. */
  measure(text: string): i32 {
    let pen: i32 = 0;
    for (let i = 0; i < text.length; i++) {
      const codepoint = text.codePointAt(i);
      if (codepoint > 0xffff) i++;
      pen += this.advanceOf(<u32>codepoint);
    }
    return (pen + 63) >> 6;
  }

  /**
   * Draws `text` in `colour` with its line's top-left at (x, top), clipped
   * to `clip` and to the surface; returns the width drawn (measure's).
   */
  draw(surface: Surface, x: i32, top: i32, text: string, colour: u32, clip: Rect = surface.bounds): i32 {
    let pen: i32 = 0;
    const baseline = top + this.ascent;
    const area = clip.intersection(surface.bounds);
    for (let i = 0; i < text.length; i++) {
      const codepoint = text.codePointAt(i);
      if (codepoint > 0xffff) i++;
      const record = this.glyph(<u32>codepoint);
      const width = <i32>load<u8>(record, 8);
      const height = <i32>load<u8>(record, 9);
      if (width != 0) {
        const left = x + (pen >> 6) + <i32>load<i8>(record, 10);
        const glyphTop = baseline - <i32>load<i8>(record, 11);
        drawClipped(surface, area, this.data + load<u32>(record, 4), width, height, left, glyphTop, colour);
      }
      pen += <i32>load<u16>(record, 12);
    }
    return (pen + 63) >> 6;
  }
}

function refuse(why: string): Font | null {
  fontError = "glyph atlas: " + why;
  return null;
}

/** A glyph's coverage blended at (x, y), only where it lies inside `area`. */
function drawClipped(surface: Surface, area: Rect, coverage: usize, width: i32, height: i32, x: i32, y: i32, colour: u32): void {
  const visible = new Rect(x, y, width, height).intersection(area);
  if (visible.isEmpty) return;
  if (visible.width == width && visible.height == height) {
    surface.blendCoverage(coverage, width, height, x, y, colour);
    return;
  }
  // Row by row, so that the part outside `area` is left alone.
  for (let row = visible.y; row < visible.bottom; row++) {
    const start = coverage + <usize>(row - y) * <usize>width + <usize>(visible.x - x);
    surface.blendCoverage(start, visible.width, 1, visible.x, row, colour);
  }
}
