// The QEMU harness's parts that need no QEMU: key parsing, picture formats,
// and the messages for a missing QEMU, firmware or image.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { checkImage, Machine, parseKeys, pixelAt, readPng, readPpm, SetupError, writePng } from "../../sdk/qemu/index";

function setupMessage(run: () => unknown): string {
  try { run(); } catch (error) { if (error instanceof SetupError) return error.message; throw error; }
  return "";
}

export function register(test: TestFunction): void {
  test("--keys text becomes QEMU key chords", (t) => {
    t.eq(parseKeys("ls -l\n"), [["l"], ["s"], ["spc"], ["minus"], ["l"], ["ret"]], "plain text and Enter");
    t.eq(parseKeys("Hi!"), [["shift", "h"], ["i"], ["shift", "1"]], "shifted characters");
    t.eq(parseKeys("{ctrl-alt-delete}{esc}{F2}{enter}"), [["ctrl", "alt", "delete"], ["esc"], ["f2"], ["ret"]], "named keys and chords");
    t.eq(parseKeys("{{x}"), [["shift", "bracket_left"], ["x"], ["shift", "bracket_right"]], "{{ types a brace");
    let message = "";
    try { parseKeys("{nosuchkey}"); } catch (error) { message = (error as Error).message; }
    t.ok(message.includes("unknown key 'nosuchkey'"), "unknown key names are refused");
  });

  test("PPM screendumps convert to PNG and back without loss", (t) => {
    const width = 7, height = 3;
    const rgb = new Uint8Array(width * height * 3).map((_, i) => (i * 37) & 0xff);
    const ppm = Buffer.concat([Buffer.from(`P6\n# comment\n${width} ${height}\n255\n`), Buffer.from(rgb)]);
    const picture = readPpm(ppm);
    t.eq([picture.width, picture.height], [width, height], "PPM size");
    const back = readPng(writePng(picture));
    t.eq([back.width, back.height], [width, height], "PNG size");
    t.ok(Buffer.from(back.rgb).equals(Buffer.from(rgb)), "PNG pixels equal the PPM's");
    t.eq(pixelAt(back, 1, 0), (rgb[3]! << 16) | (rgb[4]! << 8) | rgb[5]!, "pixelAt reads 0xRRGGBB");
  });

  test("a missing or corrupt image, QEMU or firmware is explained with the fix", async (t) => {
    const directory = mkdtempSync(join(tmpdir(), "delos-harness-"));
    try {
      t.ok(setupMessage(() => checkImage(join(directory, "none.img"))).includes("npx delos build"), "missing image names the build command");
      const junk = join(directory, "junk.img");
      writeFileSync(junk, new Uint8Array(64 * 512));
      t.ok(setupMessage(() => checkImage(junk)).includes("not a Delos GPT disk"), "a zeroed file is refused");
      let message = "";
      try { await Machine.start({ image: junk, qemu: join(directory, "no-qemu") }); } catch (error) { message = (error as Error).message; }
      t.ok(message.includes("not a Delos GPT disk"), "the image is checked before QEMU is looked for");
      // A file that passes the quick look: protective MBR and a GPT signature.
      const disk = new Uint8Array(64 * 512);
      disk[446 + 4] = 0xee;
      disk[510] = 0x55;
      disk[511] = 0xaa;
      disk.set(new TextEncoder().encode("EFI PART"), 512);
      const plausible = join(directory, "plausible.img");
      writeFileSync(plausible, disk);
      message = "";
      try { await Machine.start({ image: plausible, qemu: join(directory, "no-qemu") }); } catch (error) { message = (error as Error).message; }
      t.ok(message.includes("qemu-system-x86_64 was not found") && message.includes("apt-get install qemu-system-x86 ovmf"), "missing QEMU names the apt-get command");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}
