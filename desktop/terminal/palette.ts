// Colours of the terminal's cells. A cell's colour is a value of its own
// encoding, so that a palette entry stays an entry (and SGR 1 can brighten
// it) until the cell is drawn:
//   0..255            an entry of the xterm 256-colour palette: 16 named
//                     colours, a 6×6×6 cube, 24 greys
//   COLOUR_DEFAULT    the terminal's default foreground or background
//   COLOUR_RGB | rgb  a direct 24-bit colour (SGR 38;2;r;g;b)

/** The default foreground or background, whichever the cell's field is. */
export const COLOUR_DEFAULT: u32 = 256;
/** Set on a direct colour: its low 24 bits are 0xRRGGBB. */
export const COLOUR_RGB: u32 = 0x1000000;

export const DEFAULT_FOREGROUND: u32 = 0xd0d0d0;
export const DEFAULT_BACKGROUND: u32 = 0x101418;

/** The 16 named colours, as xterm draws them. */
const NAMED: StaticArray<u32> = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];

/** The cube's levels: 0, then 95 to 255 in steps of 40. */
function cubeLevel(step: u32): u32 { return step == 0 ? 0 : 55 + step * 40; }

/** The 0xRRGGBB of palette entry `index` (0..255). */
export function paletteColour(index: u32): u32 {
  if (index < 16) return NAMED[index];
  if (index < 232) {
    const cube = index - 16;
    return (cubeLevel(cube / 36) << 16) | (cubeLevel((cube / 6) % 6) << 8) | cubeLevel(cube % 6);
  }
  const grey = 8 + (index - 232) * 10;
  return (grey << 16) | (grey << 8) | grey;
}

/**
 * The 0xRRGGBB a cell's colour value draws as; `bright` (bold text) turns
 * the eight basic colours into their bright halves, as xterm does.
 */
export function resolveColour(value: u32, isForeground: bool, bright: bool): u32 {
  if (value == COLOUR_DEFAULT) return isForeground ? DEFAULT_FOREGROUND : DEFAULT_BACKGROUND;
  if ((value & COLOUR_RGB) != 0) return value & 0xffffff;
  if (bright && value < 8) return paletteColour(value + 8);
  return paletteColour(value & 0xff);
}
