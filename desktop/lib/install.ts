// What the installer's errors (servers/install/protocol.ts) mean, in words
// the shell's `install` command and the installer window both print.

import { errorName } from "../../ipc/generated/index";
import {
  INSTALL_ERROR_BAD_PATH, INSTALL_ERROR_BOOT_DISK, INSTALL_ERROR_BUSY, INSTALL_ERROR_HAS_TABLE, INSTALL_ERROR_NO_DISK,
  INSTALL_ERROR_NO_SOURCE, INSTALL_ERROR_TOO_SMALL,
} from "../../servers/install/generated/protocols/install";

/** Why the installer refused a disk or a request: a phrase that follows "DISK: ". */
export function installError(status: i32): string {
  if (status == INSTALL_ERROR_BOOT_DISK) return "the boot disk, which the system is copied from";
  if (status == INSTALL_ERROR_TOO_SMALL) return "too small for the system and a home volume of 4 MiB";
  if (status == INSTALL_ERROR_HAS_TABLE) return "holds a partition table already";
  if (status == INSTALL_ERROR_NO_DISK) return "no such disk";
  if (status == INSTALL_ERROR_NO_SOURCE) return "the boot disk holds no system to copy";
  if (status == INSTALL_ERROR_BAD_PATH) return "not a disk (/dev/diskN)";
  if (status == INSTALL_ERROR_BUSY) return "an installation runs already";
  return errorName(status);
}
