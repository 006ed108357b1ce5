// The Delos disk (docs/disk-layout.md): a GPT disk holding an EFI System
// Partition (FAT32, with EFI/BOOT/BOOTX64.EFI), the boot payload partition
// (the payload archive the boot stub loads), and, when the plan has them,
// the system volume partition (a read-only Delos volume with its hash tree)
// and the user volume partition (/home). Partitions start on 1 MiB
// boundaries:
//
//   LBA 0-33 MBR + GPT | 1 MiB: ESP | payload | system | home | backup GPT (last MiB)
//
// The volumes arrive built (sdk/host/system-volume.ts runs the file-system
// library); this file only places their bytes.
//
// Identifiers (disk and partition GUIDs, the FAT volume serial) are derived
// from the names and contents of the files, so a build is reproducible.

import { alignUp } from "./bytes";
import { fatFits, FatFile, writeFat32 } from "./fat32";
import { DELOS_HOME_VOLUME_TYPE, DELOS_SYSTEM_TYPE, DELOS_SYSTEM_VOLUME_TYPE, derivedGuid, ESP_TYPE, fnv1a, fnv1aText } from "./guid";
import { Partition, SECTOR, writeGpt } from "./gpt";
import { setMessage } from "./io";

const MIB: i64 = 1 << 20;
const MAX_DISK: i64 = 2000 * MIB;

export class DiskPlan {
  /** Files of the ESP, by path ("EFI/BOOT/BOOTX64.EFI"). */
  espFiles: FatFile[] = [];
  /** The payload archive for the boot payload partition. */
  payload: Uint8Array = new Uint8Array(0);
  /** The system volume partition's contents (the volume, its verity record and hash tree); empty: no such partition. */
  systemVolume: Uint8Array = new Uint8Array(0);
  /** The user volume partition's contents; empty: no such partition. */
  homeVolume: Uint8Array = new Uint8Array(0);
  /** Smallest ESP size in MiB (grown when the files need more). */
  espMinMiB: i32 = 40;
  /** Smallest payload partition size in MiB (grown to hold the payload). */
  systemMinMiB: i32 = 1;
  volumeLabel: string = "DELOS";
}

/** A seed for every identifier of the disk: a hash of all names and contents. */
function contentSeed(plan: DiskPlan): u64 {
  let hash = fnv1aText("delos-disk");
  for (let i = 0; i < plan.espFiles.length; i++) {
    hash = fnv1aText(plan.espFiles[i].path, hash);
    hash = fnv1a(plan.espFiles[i].data, hash);
  }
  hash = fnv1a(plan.payload, hash);
  hash = fnv1a(plan.systemVolume, hash);
  return fnv1a(plan.homeVolume, hash);
}

/** Builds the whole disk image; null (with a message) when the files do not fit or are invalid. */
export function buildDisk(plan: DiskPlan): Uint8Array | null {
  let espData: i64 = 0;
  for (let i = 0; i < plan.espFiles.length; i++) espData += plan.espFiles[i].data.length;
  let espBytes = <i64>plan.espMinMiB * MIB;
  while (!fatFits(espBytes / SECTOR, espData, plan.espFiles.length)) {
    espBytes += MIB;
    if (espBytes > MAX_DISK) { setMessage("disk: the ESP files do not fit in a FAT32 volume of 2000 MiB"); return null; }
  }
  const payloadBytes = max(<i64>plan.systemMinMiB * MIB, alignUp(plan.payload.length, MIB));
  const systemBytes = alignUp(plan.systemVolume.length, MIB);
  const homeBytes = alignUp(plan.homeVolume.length, MIB);
  const totalBytes = MIB + espBytes + payloadBytes + systemBytes + homeBytes + MIB;
  if (totalBytes > MAX_DISK) { setMessage("disk: the image would be larger than 2000 MiB"); return null; }

  const disk = new Uint8Array(<i32>totalBytes);
  const seed = contentSeed(plan);
  const espFirst = MIB / SECTOR;
  const payloadFirst = espFirst + espBytes / SECTOR;
  const partitions: Partition[] = [
    new Partition(ESP_TYPE, derivedGuid(seed, "esp"), espFirst, payloadFirst - 1, "EFI system partition"),
    // The GUID's name stays "system", as before the volumes, so that an image without them keeps its identifiers.
    new Partition(DELOS_SYSTEM_TYPE, derivedGuid(seed, "system"), payloadFirst, payloadFirst + payloadBytes / SECTOR - 1, "Delos boot payload"),
  ];
  const esp = disk.subarray(<i32>MIB, <i32>(MIB + espBytes));
  if (!writeFat32(esp, <u32>espFirst, <u32>(seed >> 16), plan.volumeLabel, plan.espFiles)) return null;
  disk.set(plan.payload, <i32>(payloadFirst * SECTOR));
  let next = payloadFirst + payloadBytes / SECTOR;
  if (systemBytes > 0) {
    partitions.push(new Partition(DELOS_SYSTEM_VOLUME_TYPE, derivedGuid(seed, "system-volume"), next, next + systemBytes / SECTOR - 1, "Delos system"));
    disk.set(plan.systemVolume, <i32>(next * SECTOR));
    next += systemBytes / SECTOR;
  }
  if (homeBytes > 0) {
    partitions.push(new Partition(DELOS_HOME_VOLUME_TYPE, derivedGuid(seed, "home-volume"), next, next + homeBytes / SECTOR - 1, "Delos home"));
    disk.set(plan.homeVolume, <i32>(next * SECTOR));
  }
  writeGpt(disk, derivedGuid(seed, "disk"), partitions);
  return disk;
}
