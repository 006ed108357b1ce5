// Glyph atlases: the desktop's text, rasterised once on the host from a real
// TrueType font (DejaVu, through Skia in @napi-rs/canvas) and carried in the
// image's payload, so that nothing on Delos needs a font rasteriser. The
// format is in docs/glyph-atlas.md; `readGlyphAtlas` reads it back and
// `drawText` lays text out exactly as the desktop's renderer does, so that
// tests can compare screenshots with what the atlas says was drawn.

import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { existsSync } from "node:fs";

export const ATLAS_MAGIC = 0x31414744; // "DGA1"
export const ATLAS_VERSION = 1;
export const ATLAS_HEADER_SIZE = 32;
export const GLYPH_RECORD_SIZE = 16;
/** Advances are in 1/64 pixel (26.6 fixed point), as TrueType hinting reports them. */
export const ADVANCE_ONE = 64;
/** Header flags. */
export const ATLAS_MONOSPACE = 1;

/** The codepoint drawn for one the atlas lacks. */
export const REPLACEMENT = 0xfffd;

/**
 * What the desktop writes: printable ASCII, Latin-1, punctuation the toolkit
 * uses (bullets, dashes, quotes, ellipsis, arrows), box drawing and blocks
 * for the terminal, and the replacement character. DejaVu has all of them.
 */
export function defaultCodepoints(): number[] {
  const ranges: Array<[number, number]> = [
    [0x20, 0x7e], [0xa0, 0xff], [0x2010, 0x2027], [0x2030, 0x203a], [0x20ac, 0x20ac], [0x2190, 0x2195],
    [0x2500, 0x257f], [0x2580, 0x259f], [0x25a0, 0x25cf], [0x2713, 0x2717], [REPLACEMENT, REPLACEMENT],
  ];
  const codepoints: number[] = [];
  for (const [first, last] of ranges) for (let c = first; c <= last; c++) codepoints.push(c);
  return codepoints;
}

export interface AtlasRequest {
  /** A TrueType file. */
  font: string;
  /** The em size in pixels. */
  size: number;
  /** Codepoints to include (defaultCodepoints() when absent). */
  codepoints?: number[];
}

export interface Glyph {
  codepoint: number;
  /** Coverage, 0..255, row-major, width × height. */
  bitmap: Uint8Array;
  width: number;
  height: number;
  /** From the pen position to the bitmap's left edge, in pixels. */
  bearingX: number;
  /** From the baseline up to the bitmap's top row, in pixels. */
  bearingY: number;
  /** Pen advance in 1/64 pixel. */
  advance: number;
}

export interface GlyphAtlas {
  size: number;
  /** Baseline to baseline, in pixels. */
  lineHeight: number;
  ascent: number;
  descent: number;
  monospace: boolean;
  /** Sorted by codepoint. */
  glyphs: Glyph[];
}

/** A font, codepoint or size the atlas cannot be made from. */
export class GlyphAtlasError extends Error {}

let registered = 0;

/** Rasterises the requested glyphs of a TrueType font. */
export function rasteriseGlyphAtlas(request: AtlasRequest): GlyphAtlas {
  if (!existsSync(request.font)) throw new GlyphAtlasError(`glyph atlas: no font file ${request.font}`);
  if (!Number.isInteger(request.size) || request.size < 6 || request.size > 96) {
    throw new GlyphAtlasError(`glyph atlas: size ${request.size} px is outside 6..96`);
  }
  // A family name of our own, so that Skia takes this file and no system font.
  const family = `DelosAtlas${registered++}`;
  if (!GlobalFonts.registerFromPath(request.font, family)) throw new GlyphAtlasError(`glyph atlas: ${request.font} is not a font Skia can read`);
  const codepoints = [...new Set(request.codepoints ?? defaultCodepoints())].sort((a, b) => a - b);
  if (!codepoints.includes(REPLACEMENT)) codepoints.push(REPLACEMENT);
  for (const c of codepoints) {
    if (!Number.isInteger(c) || c < 0x20 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      throw new GlyphAtlasError(`glyph atlas: ${c} is not a printable codepoint`);
    }
  }

  const probe = createCanvas(8, 8).getContext("2d");
  probe.font = `${request.size}px ${family}`;
  const metrics = probe.measureText("Hg");
  const ascent = Math.ceil(metrics.fontBoundingBoxAscent);
  const descent = Math.ceil(metrics.fontBoundingBoxDescent);

  const glyphs: Glyph[] = [];
  const advances = new Set<number>();
  for (const codepoint of codepoints) {
    const text = String.fromCodePoint(codepoint);
    const measured = probe.measureText(text);
    const advance = Math.round(measured.width * ADVANCE_ONE);
    // Monospace, for the terminal's cells, means printable ASCII has one advance.
    if (codepoint >= 0x20 && codepoint <= 0x7e) advances.add(advance);
    // Room for the ink whatever the bounding box says, with the origin at (pad, pad + ascent).
    const pad = Math.ceil(request.size / 2);
    const width = Math.ceil(Math.max(measured.width, measured.actualBoundingBoxRight)) + 2 * pad;
    const height = ascent + descent + 2 * pad;
    const canvas = createCanvas(width, height);
    const context = canvas.getContext("2d");
    context.fillStyle = "#000";
    context.fillRect(0, 0, width, height);
    context.fillStyle = "#fff";
    context.font = probe.font;
    context.textBaseline = "alphabetic";
    context.fillText(text, pad, pad + ascent);
    const pixels = context.getImageData(0, 0, width, height).data;
    // The ink's bounding box: the red channel is the coverage of white on black.
    let left = width, right = -1, top = height, bottom = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (pixels[(y * width + x) * 4]! !== 0) {
          if (x < left) left = x;
          if (x > right) right = x;
          if (y < top) top = y;
          if (y > bottom) bottom = y;
        }
      }
    }
    if (right < 0) {
      glyphs.push({ codepoint, bitmap: new Uint8Array(0), width: 0, height: 0, bearingX: 0, bearingY: 0, advance });
      continue;
    }
    const glyphWidth = right - left + 1;
    const glyphHeight = bottom - top + 1;
    if (glyphWidth > 255 || glyphHeight > 255) throw new GlyphAtlasError(`glyph atlas: U+${hex(codepoint)} is ${glyphWidth}x${glyphHeight} px, more than 255`);
    const bitmap = new Uint8Array(glyphWidth * glyphHeight);
    for (let y = 0; y < glyphHeight; y++) {
      for (let x = 0; x < glyphWidth; x++) bitmap[y * glyphWidth + x] = pixels[((top + y) * width + left + x) * 4]!;
    }
    glyphs.push({ codepoint, bitmap, width: glyphWidth, height: glyphHeight, bearingX: left - pad, bearingY: pad + ascent - top, advance });
  }
  // The line box holds every glyph's ink (box drawing reaches past the font's own ascent and
  // descent), so that lines never draw into each other and need no clipping.
  const lineAscent = Math.max(ascent, ...glyphs.map((g) => g.bearingY));
  const lineDescent = Math.max(descent, ...glyphs.map((g) => g.height - g.bearingY));
  return {
    size: request.size, lineHeight: lineAscent + lineDescent, ascent: lineAscent, descent: lineDescent, monospace: advances.size === 1,
    glyphs: glyphs.sort((a, b) => a.codepoint - b.codepoint),
  };
}

function hex(value: number): string { return value.toString(16).toUpperCase().padStart(4, "0"); }

/** The atlas in the payload's format (docs/glyph-atlas.md). */
export function encodeGlyphAtlas(atlas: GlyphAtlas): Uint8Array {
  const bitmapBytes = atlas.glyphs.reduce((sum, glyph) => sum + glyph.bitmap.length, 0);
  const bytes = new Uint8Array(ATLAS_HEADER_SIZE + atlas.glyphs.length * GLYPH_RECORD_SIZE + bitmapBytes);
  const view = new DataView(bytes.buffer);
  const replacement = atlas.glyphs.findIndex((glyph) => glyph.codepoint === REPLACEMENT);
  if (replacement < 0) throw new GlyphAtlasError("glyph atlas: no replacement glyph (U+FFFD)");
  view.setUint32(0, ATLAS_MAGIC, true);
  view.setUint16(4, ATLAS_VERSION, true);
  view.setUint16(6, atlas.monospace ? ATLAS_MONOSPACE : 0, true);
  view.setUint16(8, atlas.size, true);
  view.setUint16(10, atlas.lineHeight, true);
  view.setUint16(12, atlas.ascent, true);
  view.setUint16(14, atlas.descent, true);
  view.setUint32(16, atlas.glyphs.length, true);
  view.setUint32(20, bitmapBytes, true);
  view.setUint32(24, replacement, true);
  let record = ATLAS_HEADER_SIZE;
  let bitmap = ATLAS_HEADER_SIZE + atlas.glyphs.length * GLYPH_RECORD_SIZE;
  for (const glyph of atlas.glyphs) {
    view.setUint32(record, glyph.codepoint, true);
    view.setUint32(record + 4, bitmap, true);
    view.setUint8(record + 8, glyph.width);
    view.setUint8(record + 9, glyph.height);
    view.setInt8(record + 10, glyph.bearingX);
    view.setInt8(record + 11, glyph.bearingY);
    view.setUint16(record + 12, glyph.advance, true);
    bytes.set(glyph.bitmap, bitmap);
    record += GLYPH_RECORD_SIZE;
    bitmap += glyph.bitmap.length;
  }
  return bytes;
}

/** Reads an atlas back, checking every offset and size against the file. */
export function readGlyphAtlas(bytes: Uint8Array, name = "glyph atlas"): GlyphAtlas {
  const fail = (what: string): never => { throw new GlyphAtlasError(`${name}: ${what}`); };
  if (bytes.length < ATLAS_HEADER_SIZE) fail(`${bytes.length} bytes, shorter than the ${ATLAS_HEADER_SIZE}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== ATLAS_MAGIC) fail("not a glyph atlas (no DGA1 magic)");
  if (view.getUint16(4, true) !== ATLAS_VERSION) fail(`version ${view.getUint16(4, true)}, not ${ATLAS_VERSION}`);
  const count = view.getUint32(16, true);
  const bitmapBytes = view.getUint32(20, true);
  const replacement = view.getUint32(24, true);
  const bitmapsAt = ATLAS_HEADER_SIZE + count * GLYPH_RECORD_SIZE;
  if (bitmapsAt + bitmapBytes !== bytes.length) fail(`${count} glyphs and ${bitmapBytes} bitmap bytes do not make ${bytes.length} bytes`);
  if (replacement >= count) fail(`replacement glyph ${replacement} of ${count}`);
  const glyphs: Glyph[] = [];
  for (let i = 0; i < count; i++) {
    const at = ATLAS_HEADER_SIZE + i * GLYPH_RECORD_SIZE;
    const codepoint = view.getUint32(at, true);
    const offset = view.getUint32(at + 4, true);
    const width = view.getUint8(at + 8);
    const height = view.getUint8(at + 9);
    if (i > 0 && codepoint <= glyphs[i - 1]!.codepoint) fail(`glyph ${i} (U+${hex(codepoint)}) is out of order`);
    if (offset < bitmapsAt || offset + width * height > bytes.length) fail(`glyph ${i} (U+${hex(codepoint)}): bitmap outside the file`);
    glyphs.push({
      codepoint, width, height, bitmap: bytes.slice(offset, offset + width * height),
      bearingX: view.getInt8(at + 10), bearingY: view.getInt8(at + 11), advance: view.getUint16(at + 12, true),
    });
  }
  if (glyphs[replacement]!.codepoint !== REPLACEMENT) fail(`replacement glyph ${replacement} is U+${hex(glyphs[replacement]!.codepoint)}`);
  return {
    size: view.getUint16(8, true), lineHeight: view.getUint16(10, true), ascent: view.getUint16(12, true),
    descent: view.getUint16(14, true), monospace: (view.getUint16(6, true) & ATLAS_MONOSPACE) !== 0, glyphs,
  };
}

/** The glyph for a codepoint: binary search, the replacement glyph when absent. */
export function findGlyph(atlas: GlyphAtlas, codepoint: number): Glyph {
  let low = 0, high = atlas.glyphs.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const glyph = atlas.glyphs[middle]!;
    if (glyph.codepoint === codepoint) return glyph;
    if (glyph.codepoint < codepoint) low = middle + 1; else high = middle - 1;
  }
  return codepoint === REPLACEMENT ? atlas.glyphs[0]! : findGlyph(atlas, REPLACEMENT);
}

export interface DrawnText {
  width: number;
  height: number;
  /** The line drawn white on black, one byte per pixel: each channel of the desktop's pixels. */
  coverage: Uint8Array;
}

/** One channel of `background` under `foreground` at alpha `coverage`, rounded as desktop/lib/surface.ts's blend. */
export function mixChannel(foreground: number, background: number, coverage: number): number {
  return Math.floor((foreground * coverage + background * (255 - coverage) + 127) / 255);
}

/**
 * Lays out one line as the desktop does (desktop/lib/text.ts): the pen
 * starts at 0 on the baseline `ascent` rows down, each glyph's bitmap goes
 * at the pen's whole pixel plus its bearing, glyphs are blended in order,
 * and the pen moves by the advance in 1/64 pixel, so that rounding does not
 * accumulate.
 */
export function drawText(atlas: GlyphAtlas, text: string): DrawnText {
  let pen = 0;
  const placed: Array<{ glyph: Glyph; x: number }> = [];
  for (const character of text) {
    const glyph = findGlyph(atlas, character.codePointAt(0)!);
    placed.push({ glyph, x: (pen >> 6) + glyph.bearingX });
    pen += glyph.advance;
  }
  // Wide enough for the pen's end and for any ink past it; ink left of 0 is cut, as on a surface.
  const width = Math.max((pen + ADVANCE_ONE - 1) >> 6, ...placed.map((p) => p.x + p.glyph.width));
  const height = atlas.lineHeight;
  const coverage = new Uint8Array(Math.max(0, width) * height);
  for (const { glyph, x } of placed) {
    const top = atlas.ascent - glyph.bearingY;
    for (let row = 0; row < glyph.height; row++) {
      const y = top + row;
      if (y < 0 || y >= height) continue;
      for (let column = 0; column < glyph.width; column++) {
        const at = x + column;
        if (at < 0 || at >= width) continue;
        const alpha = glyph.bitmap[row * glyph.width + column]!;
        if (alpha !== 0) coverage[y * width + at] = mixChannel(255, coverage[y * width + at]!, alpha);
      }
    }
  }
  return { width, height, coverage };
}
