// What a component may do: its rights (authority.ts: what its parent
// granted, intersected with what its manifest asks for), as far as the
// policy for its kind allows them (docs/kernel.md, "Manifests and
// capabilities").
//
// Two checks use it. At load time every `delos.*` import whose system call
// needs a capability (the `capability` of the call in ipc/table) must be
// covered by at least one entry of that kind in the component's rights,
// and every entry its manifest or its grant holds must be one its kind may
// have; otherwise the load fails and says which. At call time the
// generated dispatch asks `allows` / `allowsNumber` whether the argument
// (a path, a state name, a port, a line) is one its rights name.
//
// The policy, by kind:
//
//   capability         driver  server  app  test  supervisor
//   serve, open, read  yes     yes     yes  yes   yes
//   state              yes     yes     no   yes   yes
//   spawn              no      yes     no   yes   yes
//   port, irq, mmio    yes     no      no   yes   yes
//   dma, firmware,
//   device             yes     no      no   yes   yes
//   system             no      yes     yes  yes   yes

import { Component, ComponentKind } from "./component";
import { Manifest, kindName } from "./manifest";

/** The capability kinds, as ipc/table names them. */
export const CAPABILITY_SERVE = "serve";
export const CAPABILITY_OPEN = "open";
export const CAPABILITY_STATE = "state";
export const CAPABILITY_SPAWN = "spawn";
/** Reading payload files (payload.read): fonts, icons, data any kind of component may need. */
export const CAPABILITY_READ = "read";
export const CAPABILITY_PORT = "port";
export const CAPABILITY_IRQ = "irq";
export const CAPABILITY_MMIO = "mmio";
export const CAPABILITY_DMA = "dma";
export const CAPABILITY_FIRMWARE = "firmware";
export const CAPABILITY_DEVICE = "device";
export const CAPABILITY_SYSTEM = "system";

/** The same string object: the CAPABILITY_* constants the dispatch passes are told apart without comparing text. */
// @ts-ignore: decorator
@inline function isConstant(capability: string, constant: string): bool {
  return changetype<usize>(capability) == changetype<usize>(constant);
}

/** May a component of `kind` have capabilities of `capability` at all? */
export function kindMay(kind: i32, capability: string): bool {
  // Every system call's check asks with a constant: by identity first, which costs no comparison of text.
  if (kind == ComponentKind.Supervisor || isConstant(capability, CAPABILITY_SERVE) || isConstant(capability, CAPABILITY_OPEN)
    || isConstant(capability, CAPABILITY_READ)) return true;
  if (isConstant(capability, CAPABILITY_PORT) || isConstant(capability, CAPABILITY_IRQ) || isConstant(capability, CAPABILITY_MMIO)
    || isConstant(capability, CAPABILITY_DMA) || isConstant(capability, CAPABILITY_FIRMWARE) || isConstant(capability, CAPABILITY_DEVICE)) {
    return kind == ComponentKind.Driver || kind == ComponentKind.Test;
  }
  if (isConstant(capability, CAPABILITY_STATE)) return kind != ComponentKind.App;
  if (isConstant(capability, CAPABILITY_SPAWN)) return kind == ComponentKind.Server || kind == ComponentKind.Test;
  if (isConstant(capability, CAPABILITY_SYSTEM)) return kind != ComponentKind.Driver;
  // A capability named by text (a manifest's entry): compared by content.
  if (capability == CAPABILITY_SERVE || capability == CAPABILITY_OPEN || capability == CAPABILITY_READ
    || kind == ComponentKind.Supervisor) return true;
  if (capability == CAPABILITY_STATE) return kind != ComponentKind.App;
  if (capability == CAPABILITY_SPAWN) return kind == ComponentKind.Server || kind == ComponentKind.Test;
  if (capability == CAPABILITY_PORT || capability == CAPABILITY_IRQ || capability == CAPABILITY_MMIO
    || capability == CAPABILITY_DMA || capability == CAPABILITY_FIRMWARE || capability == CAPABILITY_DEVICE) {
    return kind == ComponentKind.Driver || kind == ComponentKind.Test;
  }
  if (capability == CAPABILITY_SYSTEM) return kind != ComponentKind.Driver;
  return false;
}

/** How many entries of `capability` the manifest has. */
export function entryCount(manifest: Manifest, capability: string): i32 {
  if (capability == CAPABILITY_SERVE) return manifest.serve.length;
  if (capability == CAPABILITY_OPEN) return manifest.open.length;
  if (capability == CAPABILITY_STATE) return manifest.state.length;
  if (capability == CAPABILITY_SPAWN) return manifest.spawn.length;
  if (capability == CAPABILITY_READ) return manifest.read.length;
  if (capability == CAPABILITY_PORT) return manifest.ports.length / 2;
  if (capability == CAPABILITY_IRQ) return manifest.irqs.length / 2;
  if (capability == CAPABILITY_MMIO) return manifest.mmio.length / 2;
  if (capability == CAPABILITY_DMA) return manifest.dma ? 1 : 0;
  if (capability == CAPABILITY_FIRMWARE) return manifest.firmware.length;
  if (capability == CAPABILITY_DEVICE) return manifest.device.length;
  if (capability == CAPABILITY_SYSTEM) return manifest.system ? 1 : 0;
  return 0;
}

/** Every capability kind: first the PATTERN_CAPABILITIES kinds whose entries are path patterns, then the numbered ones. */
export const ALL_CAPABILITIES: StaticArray<string> = [
  CAPABILITY_SERVE, CAPABILITY_OPEN, CAPABILITY_STATE, CAPABILITY_SPAWN, CAPABILITY_READ, CAPABILITY_FIRMWARE, CAPABILITY_DEVICE,
  CAPABILITY_PORT, CAPABILITY_IRQ, CAPABILITY_MMIO, CAPABILITY_DMA, CAPABILITY_SYSTEM,
];
/** How many of ALL_CAPABILITIES, from the first, are lists of patterns (the rest: ranges, `dma` and `system`). */
export const PATTERN_CAPABILITIES: i32 = 7;

/** Why `entries` (`what`: "the manifest of echo asks for", "the grant gives echo") hold more than `kind` may have, or "". */
export function kindProblem(entries: Manifest, kind: i32, what: string): string {
  for (let i = 0; i < ALL_CAPABILITIES.length; i++) {
    const capability = ALL_CAPABILITIES[i];
    if (entryCount(entries, capability) > 0 && !kindMay(kind, capability)) {
      return what + " " + capability + " capabilities, which a component of kind " + kindName(kind) + " may not have";
    }
  }
  return "";
}

/** Why an import of a system call needing `capability` is not granted to a component with `rights`, or "". */
export function importProblem(rights: Manifest, importName: string, capability: string): string {
  if (capability.length == 0) return "";
  if (!kindMay(rights.kind, capability)) {
    return "import delos." + importName + " is not granted: a component of kind " + kindName(rights.kind) + " may not have " + capability + " capabilities";
  }
  if (entryCount(rights, capability) == 0) {
    return "import delos." + importName + " is not granted: " + rights.name + " holds no " + capability
      + " capability (its parent's grant and its manifest have none in common)";
  }
  return "";
}

/**
 * `pattern` covers `path`: equal, `*`, or `prefix/*` with `path` below the
 * prefix. A pattern as `path` is covered when every path it covers is
 * (`/test/*` covers `/test/a/*`; only `*` covers `*`).
 */
export function covers(pattern: string, path: string): bool {
  if (pattern == path || pattern == "*") return true;
  if (pattern.endsWith("/*")) {
    const prefix = pattern.substring(0, pattern.length - 1);
    return path.length > prefix.length && path.startsWith(prefix);
  }
  return false;
}

function listCovers(list: string[], value: string): bool {
  for (let i = 0; i < list.length; i++) if (covers(list[i], value)) return true;
  return false;
}

/** Call-time check of a named capability: may `component` serve/open/state/spawn/read `value`, read the firmware table, hold the device `value`, (dma) make DMA memory, or (system) ask what the system runs? */
export function allows(component: Component, capability: string, value: string): bool {
  const manifest = component.rights;
  if (!kindMay(manifest.kind, capability)) return false;
  if (capability == CAPABILITY_SERVE) return listCovers(manifest.serve, value);
  if (capability == CAPABILITY_OPEN) return listCovers(manifest.open, value);
  if (capability == CAPABILITY_STATE) return listCovers(manifest.state, value);
  if (capability == CAPABILITY_SPAWN) return listCovers(manifest.spawn, value);
  if (capability == CAPABILITY_READ) return listCovers(manifest.read, value);
  if (capability == CAPABILITY_FIRMWARE) return listCovers(manifest.firmware, value);
  if (capability == CAPABILITY_DEVICE) return listCovers(manifest.device, value);
  if (capability == CAPABILITY_DMA) return manifest.dma;
  if (capability == CAPABILITY_SYSTEM) return manifest.system;
  return false;
}

/** Does one of `component`'s mmio ranges hold all of [base, base + length)? */
export function allowsRange(component: Component, base: u64, length: u64): bool {
  const mmio = component.rights.mmio;
  if (!kindMay(component.rights.kind, CAPABILITY_MMIO) || length == 0 || base + length < base) return false;
  for (let i = 0; i + 1 < mmio.length; i += 2) {
    if (base >= mmio[i] && base - mmio[i] < mmio[i + 1] && length <= mmio[i + 1] - (base - mmio[i])) return true;
  }
  return false;
}

/** Call-time check of a numbered capability: may `component` use port / irq line / mmio address `value`? */
export function allowsNumber(component: Component, capability: string, value: u64): bool {
  const manifest = component.rights;
  if (!kindMay(manifest.kind, capability)) return false;
  if (capability == CAPABILITY_PORT) {
    for (let i = 0; i + 1 < manifest.ports.length; i += 2) {
      if (value >= <u64>manifest.ports[i] && value - <u64>manifest.ports[i] < <u64>manifest.ports[i + 1]) return true;
    }
    return false;
  }
  if (capability == CAPABILITY_IRQ) {
    for (let i = 0; i + 1 < manifest.irqs.length; i += 2) {
      if (value >= <u64>manifest.irqs[i] && value - <u64>manifest.irqs[i] < <u64>manifest.irqs[i + 1]) return true;
    }
    return false;
  }
  if (capability == CAPABILITY_MMIO) {
    for (let i = 0; i + 1 < manifest.mmio.length; i += 2) {
      if (value >= manifest.mmio[i] && value - manifest.mmio[i] < manifest.mmio[i + 1]) return true;
    }
    return false;
  }
  return false;
}
