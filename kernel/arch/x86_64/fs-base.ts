// The native switch's fs-base write (link/fast-path.ts): linked as the
// wrmsr sequence that works on every x86-64 CPU, rewritten here once at
// boot to `wrfsbase rax` when the CPU has FSGSBASE (CPUID.7.0:EBX bit 0),
// which CR4.FSGSBASE must allow: 1 instruction instead of 4 in every
// native switch. The compiled switch_context and the interrupt stubs keep
// wrmsr; they are not on the message path.
//
// The image's .text is mapped read/execute, so the rewrite goes through
// the direct map (the image is identity-mapped: its virtual addresses are
// its physical ones). It runs before any thread exists, so no native
// switch runs while its bytes change.

import { DIRECT_MAP_BASE } from "./address-space";
import { cpuid, readCr4, writeCr4 } from "./cpu";
import { link } from "./handoff";
import { FS_BASE_SITE_COUNT, LINK_FS_BASE_PATCH, LINK_FS_BASE_SITES } from "./link-info";
import { load64, store64 } from "./native";

const CR4_FSGSBASE: i64 = 1 << 16;
const CPUID_EXTENDED_FEATURES: i32 = 7;
const EBX_FSGSBASE: i32 = 1;

let rewritten: bool = false;

/** Whether the CPU has the fs/gs base instructions (rdfsbase, wrfsbase). */
export function hasFsGsBase(): bool {
  if (<u32>cpuid(0, 0, 0) < <u32>CPUID_EXTENDED_FEATURES) return false;
  return (cpuid(CPUID_EXTENDED_FEATURES, 0, 1) & EBX_FSGSBASE) != 0;
}

/**
 * Turns on CR4.FSGSBASE and rewrites the native switches' fs-base writes
 * to wrfsbase when the CPU has it and the link made native switches;
 * otherwise leaves the wrmsr sequence. True when rewritten. Call once,
 * with the direct map in use and before the first thread switch.
 */
export function useFsBaseInstructions(): bool {
  const sites = link(LINK_FS_BASE_SITES);
  if (rewritten || sites == 0 || !hasFsGsBase()) return rewritten;
  writeCr4(readCr4() | CR4_FSGSBASE);
  const patch = link(LINK_FS_BASE_PATCH);
  for (let i = 0; i < FS_BASE_SITE_COUNT; i++) {
    const site = <u64>load64(sites + <i64>i * 8);
    store64(<i64>(DIRECT_MAP_BASE + site), patch);
  }
  rewritten = true;
  return true;
}
