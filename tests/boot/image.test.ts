// The disk image: reproducible builds, a GPT + FAT32 + payload layout that
// our own reader (written from the specifications) and Debian's tools
// accept, and clear refusals of what the writer cannot hold.

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDiskImage, buildPayloadArchive, ImageError } from "../../sdk/host/image";
import { buildRecipe, readRecipe } from "../../sdk/host/recipe";
import { repoRoot } from "../../sdk/host/paths";
import { partitionBytes, readFat32, readGpt, readPayload } from "./disk-reader";
import { runTool } from "./tools";

const ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
const SYSTEM_TYPE = "937165B5-D015-4DFA-B154-EF5400B03114";
const SYSTEM_VOLUME_TYPE = "016ED974-4DC4-41A9-967C-63BBB43E1A50";
const HOME_VOLUME_TYPE = "55C0E69B-716F-4302-AE20-C0E91833E187";

function sha256(bytes: Uint8Array): string { return createHash("sha256").update(bytes).digest("hex"); }

function throwsImageError(run: () => unknown): string {
  try { run(); } catch (error) { if (error instanceof ImageError) return error.message; throw error; }
  return "";
}

export function register(test: TestFunction): void {
  test("two builds of a recipe are byte-identical", (t) => {
    const recipe = readRecipe("test");
    const first = buildRecipe(recipe).image;
    const second = buildRecipe(recipe).image;
    t.eq(first.length, second.length, "same size");
    t.ok(Buffer.from(first).equals(Buffer.from(second)), "same bytes");
    console.log(`image: test image ${(first.length / (1 << 20)).toFixed(1)} MiB, sha256 ${sha256(first).slice(0, 16)}`);
    const changed = { ...recipe, payload: [...recipe.payload, { name: "extra.txt", text: "x" }] };
    t.notEq(readGpt(buildRecipe(changed).image).diskGuid, readGpt(first).diskGuid, "different contents, different disk GUID");
  });

  test("GPT, FAT32 and payload read back with our own reader", (t) => {
    const built = buildRecipe(readRecipe("test"));
    const gpt = readGpt(built.image);
    t.eq(gpt.partitions.length, 4, "four partitions");
    const [esp, system, volume, home] = gpt.partitions;
    t.eq(esp!.typeGuid, ESP_TYPE, "first is the EFI System Partition");
    t.eq(system!.typeGuid, SYSTEM_TYPE, "second is the Delos boot payload partition");
    t.eq([volume!.typeGuid, volume!.name], [SYSTEM_VOLUME_TYPE, "Delos system"], "third is the Delos system volume");
    t.eq([home!.typeGuid, home!.name], [HOME_VOLUME_TYPE, "Delos home"], "fourth is the Delos user volume");
    for (const partition of gpt.partitions) t.eq(partition.firstLba % 2048, 0, `${partition.name} starts on a 1 MiB boundary`);
    t.eq(esp!.name, "EFI system partition", "ESP name");
    t.eq(system!.name, "Delos boot payload", "payload partition name");
    const fat = readFat32(partitionBytes(built.image, esp!));
    t.eq(fat.label, "DELOSTEST", "volume label from the recipe");
    t.eq([...fat.files.keys()], ["EFI/BOOT/BOOTX64.EFI"], "the ESP holds the boot stub");
    t.ok(Buffer.from(fat.files.get("EFI/BOOT/BOOTX64.EFI")!).equals(Buffer.from(built.bootStub)), "BOOTX64.EFI has the stub's bytes");
    t.eq(fat.directories, ["EFI", "EFI/BOOT"], "directories");
    const payload = readPayload(partitionBytes(built.image, system!));
    const names = payload.map((entry) => entry.name);
    t.eq(names, [...names].sort(), "payload files, sorted");
    t.eq(names.length, built.payloadFiles, "every payload file of the recipe");
    const hello = payload.find((entry) => entry.name === "test/hello.txt");
    t.ok(names.includes("etc/release") && hello !== undefined, "the recipe's text files are there");
    t.eq(new TextDecoder().decode(hello?.data ?? new Uint8Array()), "hello from the Delos payload\n", "payload contents");
  });

  test("a payload archive keeps names, contents, alignment and empty files", (t) => {
    const files = [
      { name: "b/second.wasm", data: new Uint8Array(5000).map((_, i) => i & 0xff) },
      { name: "a.txt", data: new TextEncoder().encode("first") },
      { name: "empty", data: new Uint8Array(0) },
      { name: "fonts/ünïcode.ttf", data: Uint8Array.of(1, 2, 3) },
    ];
    const archive = buildPayloadArchive(files.map((file) => ({ area: "payload" as const, path: file.name, data: file.data })));
    const entries = readPayload(archive);
    t.eq(entries.map((entry) => entry.name), ["a.txt", "b/second.wasm", "empty", "fonts/ünïcode.ttf"], "sorted by bytes");
    for (const file of files) {
      const entry = entries.find((candidate) => candidate.name === file.name)!;
      t.ok(Buffer.from(entry.data).equals(Buffer.from(file.data)), `${file.name} round-trips`);
      t.eq(entry.offset % 4096, 0, `${file.name} starts on a page`);
    }
    const repeating = entries.find((entry) => entry.name === "b/second.wasm")!;
    t.ok(repeating.compressed && repeating.stored < 5000 / 4, `a repeating file of 5000 bytes is stored compressed (${repeating.stored} bytes)`);
    t.ok(entries.filter((entry) => entry.name !== "b/second.wasm").every((entry) => !entry.compressed), "files under 4 KiB are stored as they are");
  });

  test("compressed payload files expand exactly, by a reader written apart from the writer", (t) => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const compiled = readFileSync(join(repoRoot, "build/compiler.wasm"));
    const files = [
      { name: "code.wasm", data: new Uint8Array(compiled) },
      { name: "noise", data: Uint8Array.from({ length: 20000 }, random) },
      { name: "runs", data: Uint8Array.from({ length: 70000 }, (_, i) => (i >> 9) % 3 === 0 ? random() & 3 : 0) },
      { name: "far", data: Uint8Array.from({ length: 150000 }, (_, i) => (i % 70000) < 200 ? i % 200 : random()) },
    ];
    const entries = readPayload(buildPayloadArchive(files.map((file) => ({ area: "payload" as const, path: file.name, data: file.data }))));
    for (const file of files) {
      const entry = entries.find((candidate) => candidate.name === file.name)!;
      t.ok(Buffer.from(entry.data).equals(Buffer.from(file.data)), `${file.name} (${file.data.length} bytes, stored ${entry.stored}${entry.compressed ? " compressed" : ""}) round-trips`);
    }
    t.ok(!entries.find((entry) => entry.name === "noise")!.compressed, "noise is stored as it is: compression would not save an eighth");
    const code = entries.find((entry) => entry.name === "code.wasm")!;
    t.ok(code.compressed && code.stored < compiled.length * 0.7, `wasm shrinks (${compiled.length} to ${code.stored} bytes)`);
  });

  test("the writer refuses what it cannot hold, with a reason", (t) => {
    const efi = new Uint8Array(512);
    t.ok(throwsImageError(() => buildDiskImage({ files: [{ area: "esp", path: "EFI/BOOT/LongFileName.efi", data: efi }] })).includes("8.3"), "long ESP names");
    t.ok(throwsImageError(() => buildDiskImage({ files: [{ area: "esp", path: "A.TXT", data: efi }, { area: "esp", path: "a.txt", data: efi }] })).includes("collides"), "names equal but for case");
    t.ok(throwsImageError(() => buildPayloadArchive([{ area: "payload", path: "x", data: efi }, { area: "payload", path: "x", data: efi }])).includes("listed twice"), "repeated payload names");
    t.ok(throwsImageError(() => buildPayloadArchive([{ area: "payload", path: "a/../b", data: efi }])).includes("'..'"), "'..' in a payload name");
    t.ok(throwsImageError(() => buildPayloadArchive([{ area: "payload", path: "/abs", data: efi }])).includes("'/'"), "absolute payload names");
  });

  test("Debian's tools accept the image (sgdisk, fsck.fat, mtools)", (t) => {
    const built = buildRecipe(readRecipe("test"));
    const directory = mkdtempSync(join(tmpdir(), "delos-image-"));
    try {
      const disk = join(directory, "disk.img");
      writeFileSync(disk, built.image);
      const esp = join(directory, "esp.img");
      writeFileSync(esp, partitionBytes(built.image, readGpt(built.image).partitions[0]!));
      const gpt = runTool("sgdisk", ["-v", disk]);
      t.ok(gpt.status === 0 && gpt.output.includes("No problems found"), `sgdisk -v: ${gpt.output.trim().split("\n")[0]}`);
      const fat = runTool("fsck.fat", ["-n", esp]);
      t.eq(fat.status, 0, `fsck.fat -n: ${fat.output.trim().split("\n").pop()}`);
      const listing = runTool("mdir", ["-i", esp, "-/", "::"]);
      t.ok(listing.status === 0 && listing.output.includes("BOOTX64  EFI"), "mdir lists EFI/BOOT/BOOTX64.EFI");
      const copy = join(directory, "BOOTX64.EFI");
      const copied = runTool("mcopy", ["-i", esp, "::/EFI/BOOT/BOOTX64.EFI", copy]);
      t.eq(copied.status, 0, "mcopy reads BOOTX64.EFI back");
      t.ok(copied.status === 0 && readFileSync(copy).equals(Buffer.from(built.bootStub)), "the copy is the image's BOOTX64.EFI");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}
