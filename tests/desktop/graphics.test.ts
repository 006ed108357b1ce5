// The desktop's drawing library (desktop/lib/surface.ts, text.ts), compiled
// by asc and run in V8 (tests/desktop/assembly/graphics.ts): text drawn from
// a glyph atlas is exactly, pixel for pixel, what the host's layout of the
// same atlas says (sdk/host/glyph-atlas.ts drawText), so screenshot tests
// can predict the desktop's text; clipping never touches a pixel outside;
// fills, frames, blending and overlapping copies do what they claim; a
// malformed atlas is refused with the reason.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { drawText as layOut, encodeGlyphAtlas, mixChannel, rasteriseGlyphAtlas } from "../../sdk/host/glyph-atlas";

const SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
const STRING_ID = 2; // AssemblyScript's class id of String

interface Graphics {
  memory: WebAssembly.Memory;
  _initialize(): void;
  __new(size: number, id: number): number;
  __pin(pointer: number): number;
  allocate(bytes: number): number;
  openFont(data: number, length: number): number;
  messageText(): number;
  newSurface(width: number, height: number, colour: number): number;
  drawText(text: number, x: number, top: number, colour: number, clipX: number, clipY: number, clipWidth: number, clipHeight: number): number;
  fontLineHeight(): number;
  fontAscent(): number;
  fontMonospace(): number;
  fill(x: number, y: number, width: number, height: number, colour: number): void;
  frame(x: number, y: number, width: number, height: number, thickness: number, colour: number): void;
  copyWithin(x: number, y: number, width: number, height: number, toX: number, toY: number): void;
  blendColours(foreground: number, background: number, coverage: number): number;
}

function load(): Graphics {
  const module = new WebAssembly.Module(readFileSync(join(buildDir, "tests", "desktop-graphics.wasm")));
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(message: number, file: number, line: number) {
        throw new Error(`desktop graphics aborted: ${readString(graphics, message)} at ${readString(graphics, file)}:${line}`);
      },
    },
  });
  const graphics = instance.exports as unknown as Graphics;
  graphics._initialize();
  return graphics;
}

function readString(g: Graphics, pointer: number): string {
  if (pointer === 0) return "";
  const bytes = new Uint32Array(g.memory.buffer, pointer - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(g.memory.buffer, pointer, bytes / 2));
}

function newString(g: Graphics, text: string): number {
  const pointer = g.__pin(g.__new(text.length * 2, STRING_ID));
  const units = new Uint16Array(g.memory.buffer, pointer, text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return pointer;
}

function giveAtlas(g: Graphics, bytes: Uint8Array): [number, string] {
  const at = g.allocate(bytes.length);
  new Uint8Array(g.memory.buffer, at, bytes.length).set(bytes);
  return [g.openFont(at, bytes.length), readString(g, g.messageText())];
}

function pixels(g: Graphics, at: number, width: number, height: number): Uint32Array {
  return new Uint32Array(g.memory.buffer.slice(at, at + width * height * 4));
}

export function register(test: TestFunction): void {
  test("text drawn on Delos is exactly the host's layout of the same atlas", (t) => {
    for (const [font, size] of [[SANS, 13], [MONO, 16]] as const) {
      const atlas = rasteriseGlyphAtlas({ font, size });
      const g = load();
      t.eq(giveAtlas(g, encodeGlyphAtlas(atlas)), [1, ""], `${size} px atlas opens`);
      t.eq([g.fontLineHeight(), g.fontAscent(), g.fontMonospace() === 1], [atlas.lineHeight, atlas.ascent, atlas.monospace], "metrics");
      for (const line of ["Delos", "ps  kill  restart keyboard", "Ünïcödé € — “quotes” …", "box ┌─┐│└┘ █▒░", "missing 漢 glyph", "surrogates 𝄞 too"]) {
        const expected = layOut(atlas, line);
        const width = expected.width + 6, height = expected.height + 4;
        const at = g.newSurface(width, height, 0);
        const drawn = g.drawText(newString(g, line), 3, 2, 0xffffff, 0, 0, width, height);
        const got = pixels(g, at, width, height);
        let wrong = 0;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const inside = x >= 3 && y >= 2 && x < 3 + expected.width && y < 2 + expected.height;
            const value = inside ? expected.coverage[(y - 2) * expected.width + (x - 3)]! : 0;
            if (got[y * width + x] !== value * 0x010101) wrong++;
          }
        }
        t.eq(wrong, 0, `${size} px "${line}": every pixel as laid out on the host`);
        t.ok(drawn <= expected.width && drawn >= expected.width - 2, `${size} px "${line}": width ${drawn}`);
      }
    }
  });

  test("clipped text touches nothing outside its clip, and draws inside it what unclipped text draws", (t) => {
    const g = load();
    giveAtlas(g, encodeGlyphAtlas(rasteriseGlyphAtlas({ font: SANS, size: 13 })));
    const text = "Clipping keeps windows apart";
    const full = g.newSurface(200, 20, 0x102030);
    g.drawText(newString(g, text), -7, 1, 0xfff0e0, 0, 0, 200, 20);
    const unclipped = pixels(g, full, 200, 20);
    const clip = { x: 20, y: 4, width: 60, height: 9 };
    const at = g.newSurface(200, 20, 0x102030);
    g.drawText(newString(g, text), -7, 1, 0xfff0e0, clip.x, clip.y, clip.width, clip.height);
    const clipped = pixels(g, at, 200, 20);
    let outside = 0, inside = 0;
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 200; x++) {
        const within = x >= clip.x && y >= clip.y && x < clip.x + clip.width && y < clip.y + clip.height;
        const value = clipped[y * 200 + x]!;
        if (!within && value !== 0x102030) outside++;
        if (within && value !== unclipped[y * 200 + x]) inside++;
      }
    }
    t.eq(outside, 0, "no pixel outside the clip changed");
    t.eq(inside, 0, "inside the clip, the same pixels as unclipped");
    t.ok(unclipped.some((v) => v !== 0x102030), "the text was drawn");
  });

  test("fills, frames, blending and overlapping copies", (t) => {
    const g = load();
    const at = g.newSurface(16, 12, 0);
    g.fill(-5, -5, 8, 7, 0xff0000);
    g.fill(14, 10, 100, 100, 0x00ff00);
    let p = pixels(g, at, 16, 12);
    t.eq([p[0], p[2 + 1 * 16], p[3], p[2 * 16], p[15 + 11 * 16], p[13 + 11 * 16]], [0xff0000, 0xff0000, 0, 0, 0x00ff00, 0], "fills clip at every edge");
    const framed = g.newSurface(16, 12, 0);
    g.frame(2, 3, 10, 6, 2, 0x0000ff);
    p = pixels(g, framed, 16, 12);
    const blue = (x: number, y: number) => p[y * 16 + x] === 0x0000ff;
    t.ok(blue(2, 3) && blue(11, 8) && blue(3, 4) && blue(10, 7) && !blue(4, 5) && !blue(7, 6) && !blue(12, 3) && !blue(1, 3), "a frame is its outline, inside the rectangle");
    for (const [fg, bg, c] of [[0xffffff, 0, 0], [0xffffff, 0, 255], [0xffffff, 0, 77], [0x204060, 0xa0c0e0, 200], [0x00ff00, 0xff0000, 128]]) {
      const channel = (shift: number) => mixChannel((fg >> shift) & 255, (bg >> shift) & 255, c) << shift;
      t.eq(g.blendColours(fg, bg, c), channel(16) | channel(8) | channel(0), `blend ${fg.toString(16)} over ${bg.toString(16)} at ${c}`);
    }
    // A column of distinct rows, copied down by 3 and up by 2 over itself (a terminal scrolling).
    const rows = g.newSurface(4, 12, 0);
    for (let y = 0; y < 12; y++) g.fill(0, y, 4, 1, y + 1);
    g.copyWithin(0, 0, 4, 8, 0, 3);
    p = pixels(g, rows, 4, 12);
    t.eq([...Array(12).keys()].map((y) => p[y * 4]), [1, 2, 3, 1, 2, 3, 4, 5, 6, 7, 8, 12], "copy downwards over itself");
    g.copyWithin(0, 4, 4, 8, 0, 2);
    p = pixels(g, rows, 4, 12);
    t.eq([...Array(12).keys()].map((y) => p[y * 4]), [1, 2, 2, 3, 4, 5, 6, 7, 8, 12, 8, 12], "copy upwards over itself");
  });

  test("a malformed atlas is refused with the reason", (t) => {
    const good = encodeGlyphAtlas(rasteriseGlyphAtlas({ font: MONO, size: 12, codepoints: [0x41, 0x42] }));
    const g = load();
    const cases: Array<[string, Uint8Array, string]> = [
      ["short", good.slice(0, 16), "shorter than its header"],
      ["magic", (() => { const b = good.slice(); b[1] = 0; return b; })(), "no DGA1 magic"],
      ["truncated", good.slice(0, good.length - 3), "do not add up"],
      ["bitmap outside", (() => { const b = good.slice(); new DataView(b.buffer).setUint32(36, 0xfffffff0, true); return b; })(), "outside the atlas"],
      ["huge count", (() => { const b = good.slice(); new DataView(b.buffer).setUint32(16, 0x7fffffff, true); return b; })(), "does not fit"],
    ];
    for (const [what, bytes, says] of cases) {
      const [opened, message] = giveAtlas(g, bytes);
      t.ok(opened === 0 && message.includes(says), `${what}: ${message}`);
    }
  });
}
