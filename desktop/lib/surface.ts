// Surfaces: rectangles of 32-bit pixels in a component's linear memory, and
// the few operations the compositor, the toolkit and the terminal build on.
// A pixel is 0x00RRGGBB in a u32, stored little-endian (bytes B, G, R, X):
// what QEMU's std VGA and bochs-display scan out at 32 bits per pixel, so a
// surface mapped over a framebuffer is drawn on directly.
//
// Every operation clips to the surface: coordinates may be negative or past
// the edges, sizes may be zero, and nothing outside the surface is touched.

/** A rectangle: x, y of its top-left pixel, width and height (empty when either is ≤ 0). */
export class Rect {
  constructor(public x: i32 = 0, public y: i32 = 0, public width: i32 = 0, public height: i32 = 0) {}

  get isEmpty(): bool { return this.width <= 0 || this.height <= 0; }
  get right(): i32 { return this.x + this.width; }
  get bottom(): i32 { return this.y + this.height; }

  contains(x: i32, y: i32): bool {
    return x >= this.x && y >= this.y && x < this.right && y < this.bottom;
  }

  /** The part both rectangles cover (empty when they do not meet). */
  intersection(other: Rect): Rect {
    const left = max(this.x, other.x);
    const top = max(this.y, other.y);
    return new Rect(left, top, max(0, min(this.right, other.right) - left), max(0, min(this.bottom, other.bottom) - top));
  }

  /** The smallest rectangle covering both; an empty one adds nothing. */
  union(other: Rect): Rect {
    if (this.isEmpty) return other.copy();
    if (other.isEmpty) return this.copy();
    const left = min(this.x, other.x);
    const top = min(this.y, other.y);
    return new Rect(left, top, max(this.right, other.right) - left, max(this.bottom, other.bottom) - top);
  }

  copy(): Rect { return new Rect(this.x, this.y, this.width, this.height); }
}

/** 0x00RRGGBB from its components (0..255 each). */
// @ts-ignore: decorator
@inline export function rgb(red: u32, green: u32, blue: u32): u32 {
  return ((red & 0xff) << 16) | ((green & 0xff) << 8) | (blue & 0xff);
}

/**
 * One channel of `background` covered by `foreground` at alpha `coverage`
 * (0..255), rounded to nearest: exact at 0 and 255, and white on black
 * gives the coverage itself.
 */
// @ts-ignore: decorator
@inline function mixChannel(foreground: u32, background: u32, coverage: u32): u32 {
  return (foreground * coverage + background * (255 - coverage) + 127) / 255;
}

/** `foreground` over `background` at alpha `coverage` (0..255), channel by channel. */
export function blend(foreground: u32, background: u32, coverage: u32): u32 {
  if (coverage == 0) return background;
  if (coverage >= 255) return foreground;
  return rgb(
    mixChannel((foreground >> 16) & 0xff, (background >> 16) & 0xff, coverage),
    mixChannel((foreground >> 8) & 0xff, (background >> 8) & 0xff, coverage),
    mixChannel(foreground & 0xff, background & 0xff, coverage));
}

export class Surface {
  /**
   * `pixels`: the top-left pixel's address; `stride`: bytes from one row to
   * the next (at least width × 4; a framebuffer's rows may be padded).
   */
  constructor(readonly pixels: usize, readonly width: i32, readonly height: i32, readonly stride: i32) {
    assert(width >= 0 && height >= 0 && stride >= width * 4, "surface: stride shorter than a row");
  }

  /** A surface over `width` × `height` pixels of fresh, zeroed (black) memory. */
  static allocate(width: i32, height: i32): Surface {
    const bytes = <usize>width * <usize>height * 4;
    const pixels = heap.alloc(max<usize>(bytes, 4));
    memory.fill(pixels, 0, bytes);
    return new Surface(pixels, width, height, width * 4);
  }

  get bounds(): Rect { return new Rect(0, 0, this.width, this.height); }

  // @ts-ignore: decorator
  @inline address(x: i32, y: i32): usize { return this.pixels + <usize>y * <usize>this.stride + (<usize>x << 2); }

  /** The pixel at (x, y); 0 outside the surface. */
  pixel(x: i32, y: i32): u32 {
    if (<u32>x >= <u32>this.width || <u32>y >= <u32>this.height) return 0;
    return load<u32>(this.address(x, y));
  }

  setPixel(x: i32, y: i32, colour: u32): void {
    if (<u32>x >= <u32>this.width || <u32>y >= <u32>this.height) return;
    store<u32>(this.address(x, y), colour);
  }

  /** Fills the part of `rect` on the surface with `colour`. */
  fill(rect: Rect, colour: u32): void {
    const area = rect.intersection(this.bounds);
    if (area.isEmpty) return;
    for (let y = area.y; y < area.bottom; y++) {
      let at = this.address(area.x, y);
      const end = at + (<usize>area.width << 2);
      for (; at < end; at += 4) store<u32>(at, colour);
    }
  }

  /** The outline of `rect`, `thickness` pixels wide, inside it. */
  frame(rect: Rect, thickness: i32, colour: u32): void {
    const t = min(thickness, min(rect.width, rect.height));
    if (t <= 0) return;
    this.fill(new Rect(rect.x, rect.y, rect.width, t), colour);
    this.fill(new Rect(rect.x, rect.bottom - t, rect.width, t), colour);
    this.fill(new Rect(rect.x, rect.y + t, t, rect.height - 2 * t), colour);
    this.fill(new Rect(rect.right - t, rect.y + t, t, rect.height - 2 * t), colour);
  }

  /**
   * Copies `source`'s rectangle `from` so that its top-left lands at (x, y),
   * clipped to both surfaces. The two may be the same surface: overlapping
   * rows are copied in the order that does not overwrite what is still to
   * be read (scrolling a terminal up or down).
   */
  copyFrom(source: Surface, from: Rect, x: i32, y: i32): void {
    const readable = from.intersection(source.bounds);
    const shiftX = readable.x - from.x, shiftY = readable.y - from.y;
    const target = new Rect(x + shiftX, y + shiftY, readable.width, readable.height).intersection(this.bounds);
    if (target.isEmpty) return;
    const sourceX = readable.x + (target.x - x - shiftX);
    const sourceY = readable.y + (target.y - y - shiftY);
    const rowBytes = <usize>target.width << 2;
    const downwards = source.pixels == this.pixels && target.y > sourceY;
    for (let row = 0; row < target.height; row++) {
      const r = downwards ? target.height - 1 - row : row;
      memory.copy(this.address(target.x, target.y + r), source.address(sourceX, sourceY + r), rowBytes);
    }
  }

  /**
   * Blends `colour` onto the surface through an 8-bit coverage map
   * (`coverage`: `width` × `height` bytes, row-major) placed at (x, y):
   * each pixel becomes blend(colour, pixel, coverage), as glyphs are drawn.
   */
  blendCoverage(coverage: usize, width: i32, height: i32, x: i32, y: i32, colour: u32): void {
    const area = new Rect(x, y, width, height).intersection(this.bounds);
    if (area.isEmpty) return;
    for (let row = area.y; row < area.bottom; row++) {
      let source = coverage + <usize>(row - y) * <usize>width + <usize>(area.x - x);
      let at = this.address(area.x, row);
      for (let column = 0; column < area.width; column++, source++, at += 4) {
        const alpha = <u32>load<u8>(source);
        if (alpha != 0) store<u32>(at, blend(colour, load<u32>(at), alpha));
      }
    }
  }
}
