// The modes the display driver offers, all at 32 bits per pixel: width,
// height pairs. 1024x768 is the boot mode; a mode must also fit the
// device's framebuffer (16 MiB on QEMU's std VGA by default).

export const MODES: StaticArray<u32> = [
  640, 480,
  800, 600,
  1024, 768,
  1280, 720,
  1280, 800,
  1280, 1024,
  1600, 900,
  1920, 1080,
];

/** The mode set when the device has none the driver can serve: 1024x768. */
export const DEFAULT_MODE: i32 = 2;

/** The mode's index, or -1 when it is not offered. */
export function modeIndex(width: u32, height: u32): i32 {
  for (let i = 0; i < MODES.length / 2; i++) if (MODES[2 * i] == width && MODES[2 * i + 1] == height) return i;
  return -1;
}
