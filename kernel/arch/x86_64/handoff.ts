// The two blocks the kernel starts from: the boot info the boot stub filled
// (boot/boot-info.ts, docs/boot.md) and the link info the kernel link wrote
// (link-info.ts, docs/kernel.md). Both sit in the image, which the kernel's
// page tables keep identity-mapped, so their addresses stay valid.

import { ELEMENT_CODE, ELEMENT_SIZE, TABLE_ELEMENTS, TABLE_LENGTH, VMCTX_TABLE } from "../../../sdk/compiler/src/abi";
import { BOOT_INFO_MAGIC, BOOT_INFO_VERSION, INFO_MAGIC, INFO_VERSION } from "./boot/boot-info";
import { LINK_INFO_MAGIC, LINK_INFO_VERSION, LINK_MAGIC, LINK_VERSION, LINK_VMCTX } from "./link-info";
import { load64 } from "./native";

let bootInfo: i64 = 0;
let linkInfo: i64 = 0;

/** Records both blocks; false when either has the wrong magic or version. */
export function takeHandoff(boot: i64, link: i64): bool {
  bootInfo = boot;
  linkInfo = link;
  return <u64>load64(boot + INFO_MAGIC) == BOOT_INFO_MAGIC && <u64>load64(boot + INFO_VERSION) == BOOT_INFO_VERSION
    && <u64>load64(link + LINK_MAGIC) == LINK_INFO_MAGIC && <u64>load64(link + LINK_VERSION) == LINK_INFO_VERSION;
}

/** A field of the boot info (INFO_*). */
export function boot(field: i32): i64 { return load64(bootInfo + field); }
/** A field of the link info (LINK_*). */
export function link(field: i32): i64 { return load64(linkInfo + field); }
export function linkInfoAddress(): i64 { return linkInfo; }
export function bootInfoAddress(): i64 { return bootInfo; }

/**
 * The native code of the kernel function at table index `index` (an
 * AssemblyScript function reference's `.index`), 0 when the table has no
 * such element.
 */
export function codeOf(index: u32): i64 {
  const table = load64(link(LINK_VMCTX) + VMCTX_TABLE);
  if (<u64>index >= <u64>load64(table + TABLE_LENGTH)) return 0;
  return load64(load64(table + TABLE_ELEMENTS) + <i64>index * ELEMENT_SIZE + ELEMENT_CODE);
}
