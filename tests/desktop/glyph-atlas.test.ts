// Glyph atlases (sdk/host/glyph-atlas.ts, docs/glyph-atlas.md): rasterised
// from DejaVu, written and read back unchanged, reproducible, with the
// glyphs the desktop needs, text laid out as Skia lays it out, and malformed
// files refused with the reason.

import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import type { TestFunction } from "../harness";
import {
  ATLAS_HEADER_SIZE, defaultCodepoints, drawText, encodeGlyphAtlas, findGlyph, GlyphAtlasError, GLYPH_RECORD_SIZE,
  rasteriseGlyphAtlas, readGlyphAtlas, REPLACEMENT,
} from "../../sdk/host/glyph-atlas";

const SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

function refusal(run: () => unknown): string {
  try { run(); } catch (error) { if (error instanceof GlyphAtlasError) return error.message; throw error; }
  return "(accepted)";
}

/** Columns that hold any ink, first and last. */
function inkColumns(coverage: ArrayLike<number>, width: number, height: number, stride = 1): [number, number] {
  let first = -1, last = -1;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (coverage[(y * width + x) * stride]! > 0) { if (first < 0) first = x; last = x; break; }
    }
  }
  return [first, last];
}

export function register(test: TestFunction): void {
  test("an atlas holds every glyph the desktop writes and reads back unchanged; two builds are identical", (t) => {
    const sans = rasteriseGlyphAtlas({ font: SANS, size: 13 });
    const bytes = encodeGlyphAtlas(sans);
    t.eq(sans.glyphs.map((g) => g.codepoint), [...defaultCodepoints()].sort((a, b) => a - b), "every default codepoint, in order");
    t.eq(readGlyphAtlas(bytes), sans, "read back unchanged");
    t.ok(Buffer.from(encodeGlyphAtlas(rasteriseGlyphAtlas({ font: SANS, size: 13 }))).equals(Buffer.from(bytes)), "reproducible bytes");
    t.notOk(sans.monospace, "DejaVu Sans is proportional");
    const mono = rasteriseGlyphAtlas({ font: MONO, size: 16 });
    t.ok(mono.monospace, "DejaVu Sans Mono is monospaced");
    const cell = findGlyph(mono, 0x4d).advance;
    t.ok([..."Delos il|W_"].every((c) => findGlyph(mono, c.codePointAt(0)!).advance === cell), `one cell width, ${cell / 64} px`);
    console.log(`glyph atlas: sans 13 px ${bytes.length} bytes, mono 16 px ${encodeGlyphAtlas(mono).length} bytes, ${sans.glyphs.length} glyphs each`);

    const space = findGlyph(sans, 0x20);
    t.ok(space.width === 0 && space.advance > 0, `space: no ink, advance ${space.advance / 64} px`);
    const capital = findGlyph(sans, 0x48);
    t.ok(Math.max(...capital.bitmap) >= 200, `H has dark stems (${Math.max(...capital.bitmap)} of 255)`);
    t.ok(capital.bearingY >= 8 && capital.bearingY <= 11 && capital.height === capital.bearingY, `H sits on the baseline (${capital.height} rows, ${capital.bearingY} above it)`);
    const g = findGlyph(sans, 0x67);
    t.ok(g.height > g.bearingY, "g descends below the baseline");
    t.eq(findGlyph(sans, 0x4e00).codepoint, REPLACEMENT, "a codepoint the atlas lacks draws U+FFFD");
    const block = findGlyph(mono, 0x2588);
    t.ok(block.width >= 9 && block.height >= mono.lineHeight - 1, `the terminal's full block fills its cell (${block.width}x${block.height})`);
  });

  test("text laid out from the atlas matches Skia's own drawing of the line", (t) => {
    const atlas = rasteriseGlyphAtlas({ font: SANS, size: 13 });
    GlobalFonts.registerFromPath(SANS, "DelosAtlasCheck");
    for (const line of ["Delos", "The quick brown fox jumps over the lazy dog", "ps: 12 components, 3.2 MiB"]) {
      const drawn = drawText(atlas, line);
      const canvas = createCanvas(drawn.width + 8, drawn.height);
      const context = canvas.getContext("2d");
      context.fillStyle = "#000";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.fillStyle = "#fff";
      context.font = "13px DelosAtlasCheck";
      context.fillText(line, 0, atlas.ascent);
      const reference = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const [ourFirst, ourLast] = inkColumns(drawn.coverage, drawn.width, drawn.height);
      const [skiaFirst, skiaLast] = inkColumns(reference, canvas.width, canvas.height, 4);
      t.ok(Math.abs(ourFirst - skiaFirst) <= 1 && Math.abs(ourLast - skiaLast) <= 1,
        `"${line}": ink from ${ourFirst} to ${ourLast}, Skia ${skiaFirst} to ${skiaLast}`);
      let ours = 0, skia = 0;
      for (const value of drawn.coverage) ours += value;
      for (let i = 0; i < reference.length; i += 4) skia += reference[i]!;
      t.ok(Math.abs(ours - skia) <= 0.06 * skia, `"${line}": total ink ${ours} against Skia's ${skia}`);
    }
  });

  test("malformed atlases and requests are refused with the reason", (t) => {
    const bytes = encodeGlyphAtlas(rasteriseGlyphAtlas({ font: MONO, size: 12, codepoints: [0x41, 0x42] }));
    t.ok(refusal(() => readGlyphAtlas(bytes.slice(0, 20), "fonts/x")).startsWith("fonts/x: 20 bytes, shorter than"), "short header");
    const magic = bytes.slice(); magic[0] = 0;
    t.ok(refusal(() => readGlyphAtlas(magic)).includes("no DGA1 magic"), "bad magic");
    t.ok(refusal(() => readGlyphAtlas(bytes.slice(0, bytes.length - 1))).includes("do not make"), "truncated bitmaps");
    const swapped = bytes.slice();
    swapped.copyWithin(ATLAS_HEADER_SIZE, ATLAS_HEADER_SIZE + GLYPH_RECORD_SIZE, ATLAS_HEADER_SIZE + 2 * GLYPH_RECORD_SIZE);
    t.ok(refusal(() => readGlyphAtlas(swapped)).includes("out of order"), "records out of order");
    const outside = bytes.slice();
    new DataView(outside.buffer).setUint32(ATLAS_HEADER_SIZE + 4, bytes.length, true);
    t.ok(refusal(() => readGlyphAtlas(outside)).includes("bitmap outside the file"), "bitmap offset past the end");
    t.ok(refusal(() => rasteriseGlyphAtlas({ font: "/nonexistent.ttf", size: 12 })).includes("no font file /nonexistent.ttf"), "missing font");
    t.ok(refusal(() => rasteriseGlyphAtlas({ font: MONO, size: 200 })).includes("outside 6..96"), "size");
    t.ok(refusal(() => rasteriseGlyphAtlas({ font: MONO, size: 12, codepoints: [0x0a] })).includes("not a printable codepoint"), "control character");
  });
}
