// Authority flows down the tree of supervisors. What a component is — its
// name, its kind — and what it may do — the paths it may serve and open,
// its state objects, what it may spawn, its ports, lines and physical
// memory, DMA, firmware tables and devices, its priority ceiling and its quotas — come from whoever spawns
// it: the grant, manifest text given to component.spawn. The kernel gives
// the component it starts itself (init) the root grant: every capability,
// the kernel's maxima. A component's own manifest, read from its wasm, can
// only ask for less.
//
//   parent's rights ⊇ grant          checked: a grant reaching beyond its
//                                    parent's rights is refused (ACCESS_DENIED)
//   rights = grant ∩ manifest        each capability list and each limit
//
// So a child's rights are always a subset of its parent's, and nothing a
// component writes in its own bytes can raise them.
//
// Identity: a component's name is the grant's (the manifest's when the
// grant gives none), and its identity is its parent's identity, `/`, its
// name (`init/echo`, `init/runner/taker`). The identity is what state
// objects belong to and what lets a new instance take a name over from an
// old one (pathname.ts): only a parent of the same identity can make two
// components of the same identity, so a restarted or new version started
// by the same supervisor is recognised and nobody else is.
//
// Limits a grant does not set are DEFAULT_LIMITS, never above the
// parent's own.

import { LIMIT_CEILING, LIMIT_COUNT, LIMIT_NAMES, LIMIT_PAGES, LIMIT_TABLE, Manifest, UNSET } from "./manifest";
import { ALL_CAPABILITIES, PATTERN_CAPABILITIES, covers, kindProblem } from "./policy";
import { PRIORITY_DEFAULT } from "../sched/priority";

/** What the kernel grants the component it starts itself, by LIMIT_*: its maxima. */
const ROOT_LIMITS: StaticArray<i64> = [31, 1024, 65536, 1 << 20, 4096, 4096, 1 << 20];
/** A limit a grant leaves unset, by LIMIT_*: enough for today's components, never above the parent's. */
const DEFAULT_LIMITS: StaticArray<i64> = [15, 32, 1024, 4096, 1024, 32, 16384];

/** The highest physical address mmio may name (page-aligned). */
const MMIO_END: u64 = 0x7ffffffffffff000;

/** Why the last resolveRights failed, and with which error (the loader's LOAD_*). */
export let authorityError: string = "";

/** The root grant: what the kernel gives the component it starts itself. */
export function rootGrant(): Manifest {
  const root = new Manifest();
  root.serve.push("*");
  root.open.push("*");
  root.state.push("*");
  root.spawn.push("*");
  root.read.push("*");
  root.ports.push(0);
  root.ports.push(0x10000);
  root.irqs.push(0);
  root.irqs.push(256);
  root.mmio.push(0);
  root.mmio.push(MMIO_END);
  root.dma = true;
  root.firmware.push("*");
  root.device.push("*");
  root.system = true;
  for (let i = 0; i < LIMIT_COUNT; i++) root.limits[i] = ROOT_LIMITS[i];
  return root;
}

function list(manifest: Manifest, capability: string): string[] {
  if (capability == "serve") return manifest.serve;
  if (capability == "open") return manifest.open;
  if (capability == "state") return manifest.state;
  if (capability == "read") return manifest.read;
  if (capability == "firmware") return manifest.firmware;
  if (capability == "device") return manifest.device;
  return manifest.spawn;
}

/** Every entry of `inner` covered by one of `outer`. */
function patternsWithin(inner: string[], outer: string[]): string {
  for (let i = 0; i < inner.length; i++) {
    let covered = false;
    for (let k = 0; k < outer.length && !covered; k++) covered = covers(outer[k], inner[i]);
    if (!covered) return inner[i];
  }
  return "";
}

/** The patterns both lists cover: for each pair, the narrower one when one covers the other. */
function patternsBoth(a: string[], b: string[]): string[] {
  const both = new Array<string>();
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < b.length; k++) {
      if (covers(a[i], b[k])) both.push(b[k]);
      else if (covers(b[k], a[i])) both.push(a[i]);
    }
  }
  return both;
}

/** Every (first, count) pair of `inner` inside one pair of `outer`: "" or the first one outside, in hexadecimal. */
function rangesWithin<T>(inner: T[], outer: T[]): string {
  for (let i = 0; i + 1 < inner.length; i += 2) {
    let inside = false;
    for (let k = 0; k + 1 < outer.length && !inside; k += 2) {
      inside = <u64>inner[i] >= <u64>outer[k] && <u64>inner[i] + <u64>inner[i + 1] <= <u64>outer[k] + <u64>outer[k + 1];
    }
    if (!inside) return "0x" + (<u64>inner[i]).toString(16) + " (" + (<u64>inner[i + 1]).toString() + ")";
  }
  return "";
}

/** The (first, count) ranges both lists hold. */
function rangesBoth<T>(a: T[], b: T[]): T[] {
  const both = new Array<T>();
  for (let i = 0; i + 1 < a.length; i += 2) {
    for (let k = 0; k + 1 < b.length; k += 2) {
      const start = max<u64>(<u64>a[i], <u64>b[k]);
      const end = min<u64>(<u64>a[i] + <u64>a[i + 1], <u64>b[k] + <u64>b[k + 1]);
      if (start < end) { both.push(<T>start); both.push(<T>(end - start)); }
    }
  }
  return both;
}

/** Why `grant` reaches beyond `parent`'s rights, or "". */
function beyondParent(parent: Manifest, grant: Manifest): string {
  for (let i = 0; i < PATTERN_CAPABILITIES; i++) {
    const capability = ALL_CAPABILITIES[i];
    const outside = patternsWithin(list(grant, capability), list(parent, capability));
    if (outside.length > 0) return capability + " " + outside;
  }
  let outside = rangesWithin<u32>(grant.ports, parent.ports);
  if (outside.length > 0) return "port " + outside;
  outside = rangesWithin<u32>(grant.irqs, parent.irqs);
  if (outside.length > 0) return "irq " + outside;
  outside = rangesWithin<u64>(grant.mmio, parent.mmio);
  if (outside.length > 0) return "mmio " + outside;
  if (grant.dma && !parent.dma) return "dma";
  if (grant.system && !parent.system) return "system";
  for (let i = 0; i < LIMIT_COUNT; i++) {
    const value = grant.limit(i);
    if (value != UNSET && value > parent.limit(i)) {
      return LIMIT_NAMES[i] + " " + value.toString() + " (its own is " + parent.limit(i).toString() + ")";
    }
  }
  return "";
}

/** The identity of a component named `name` whose parent has `parentIdentity` ("" for the kernel). */
export function identityOf(parentIdentity: string, name: string): string {
  return parentIdentity.length == 0 ? name : parentIdentity + "/" + name;
}

/**
 * The rights of a component its parent (with `parent`'s rights) grants
 * `grant` and whose own manifest is `manifest`; null with authorityError
 * set when the grant reaches beyond the parent's rights or either asks for
 * what the component's kind may not have.
 */
export function resolveRights(parent: Manifest, grant: Manifest, manifest: Manifest): Manifest | null {
  const name = grant.name.length > 0 ? grant.name : manifest.name;
  const beyond = beyondParent(parent, grant);
  if (beyond.length > 0) { authorityError = "the grant gives " + name + " " + beyond + ", beyond its parent's rights"; return null; }
  const kind = grant.kind >= 0 ? grant.kind : manifest.kind;
  let problem = kindProblem(grant, kind, "the grant gives " + name);
  if (problem.length == 0) problem = kindProblem(manifest, kind, "the manifest of " + name + " asks for");
  if (problem.length > 0) { authorityError = problem; return null; }

  const rights = new Manifest();
  rights.name = name;
  rights.kind = kind;
  rights.serve = patternsBoth(grant.serve, manifest.serve);
  rights.open = patternsBoth(grant.open, manifest.open);
  rights.state = patternsBoth(grant.state, manifest.state);
  rights.spawn = patternsBoth(grant.spawn, manifest.spawn);
  rights.read = patternsBoth(grant.read, manifest.read);
  rights.firmware = patternsBoth(grant.firmware, manifest.firmware);
  rights.device = patternsBoth(grant.device, manifest.device);
  rights.dma = grant.dma && manifest.dma;
  rights.ports = rangesBoth<u32>(grant.ports, manifest.ports);
  rights.irqs = rangesBoth<u32>(grant.irqs, manifest.irqs);
  rights.mmio = rangesBoth<u64>(grant.mmio, manifest.mmio);
  rights.system = grant.system && manifest.system;
  for (let i = 0; i < LIMIT_COUNT; i++) {
    let value = grant.limit(i);
    if (value == UNSET) value = min<i64>(DEFAULT_LIMITS[i], parent.limit(i));
    if (manifest.limit(i) != UNSET) value = min<i64>(value, manifest.limit(i));
    rights.limits[i] = value;
  }
  const ceiling = <i32>rights.limit(LIMIT_CEILING);
  const asked = grant.priority >= 0 ? grant.priority : manifest.priority;
  if (asked > ceiling) {
    authorityError = name + " asks for priority " + asked.toString() + ", above its ceiling " + ceiling.toString();
    return null;
  }
  rights.priority = asked >= 0 ? asked : min(PRIORITY_DEFAULT, ceiling);
  return rights;
}

/** Why a module with `initialPages` of memory and `tableEntries` table entries exceeds `rights`' quotas, or "". */
export function quotaProblem(rights: Manifest, initialPages: u64, tableEntries: u64): string {
  if (initialPages > <u64>rights.limit(LIMIT_PAGES)) {
    return "its initial memory of " + initialPages.toString() + " pages is above its quota of " + rights.limit(LIMIT_PAGES).toString();
  }
  if (tableEntries > <u64>rights.limit(LIMIT_TABLE)) {
    return "its table of " + tableEntries.toString() + " entries is above its quota of " + rights.limit(LIMIT_TABLE).toString();
  }
  return "";
}
