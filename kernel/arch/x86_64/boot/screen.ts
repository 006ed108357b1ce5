// The boot screen the stub draws on the GOP framebuffer: a background, a
// square mark in the middle and a bar below it. Tests check these exact
// colours at these places in a screendump, so docs/boot.md repeats them.
// Colours are 0xRRGGBB; the stub converts them to the framebuffer's order.

export const BACKGROUND: i32 = 0x0b1d33;
export const MARK: i32 = 0xe8a33d;
export const BAR: i32 = 0x2e5a88;

// Geometry for a W x H screen (integer division):
//   mark: side S = H / 6, at ((W - S) / 2, (H - S) / 2)
//   bar:  W / 3 wide, BAR_HEIGHT high, at ((W - W / 3) / 2, (H + S) / 2 + H / 24)
export const MARK_DIVISOR: i32 = 6;
export const BAR_WIDTH_DIVISOR: i32 = 3;
export const BAR_GAP_DIVISOR: i32 = 24;
export const BAR_HEIGHT: i32 = 8;

/** The mode the stub asks GOP for, when the firmware offers it. */
export const PREFERRED_WIDTH: i32 = 1024;
export const PREFERRED_HEIGHT: i32 = 768;
