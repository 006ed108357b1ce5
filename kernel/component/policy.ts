// What a component may do: the capabilities its manifest asks for, as far
// as the policy for its kind allows them (docs/kernel.md, "Manifests and
// capabilities").
//
// Two checks use it. At load time every `delos.*` import whose system call
// needs a capability (the `capability` of the call in ipc/table) must be
// covered by at least one manifest entry of that kind, and every entry the
// manifest asks for must be one its kind may have; otherwise the load fails
// and says which. At call time the generated dispatch asks `allows` /
// `allowsNumber` whether the argument (a path, a state name, a port, a line)
// is one the manifest names.
//
// The policy, by kind:
//
//   capability         driver  server  app  test
//   serve, open        yes     yes     yes  yes
//   state              yes     yes     no   yes
//   spawn              no      yes     no   yes
//   port, irq, mmio    yes     no      no   yes

import { Component, ComponentKind } from "./component";
import { Manifest, kindName } from "./manifest";

/** The capability kinds, as ipc/table names them. */
export const CAPABILITY_SERVE = "serve";
export const CAPABILITY_OPEN = "open";
export const CAPABILITY_STATE = "state";
export const CAPABILITY_SPAWN = "spawn";
export const CAPABILITY_PORT = "port";
export const CAPABILITY_IRQ = "irq";
export const CAPABILITY_MMIO = "mmio";

/** May a component of `kind` have capabilities of `capability` at all? */
export function kindMay(kind: ComponentKind, capability: string): bool {
  if (capability == CAPABILITY_SERVE || capability == CAPABILITY_OPEN) return true;
  if (capability == CAPABILITY_STATE) return kind != ComponentKind.App;
  if (capability == CAPABILITY_SPAWN) return kind == ComponentKind.Server || kind == ComponentKind.Test;
  if (capability == CAPABILITY_PORT || capability == CAPABILITY_IRQ || capability == CAPABILITY_MMIO) {
    return kind == ComponentKind.Driver || kind == ComponentKind.Test;
  }
  return false;
}

/** How many entries of `capability` the manifest has. */
export function entryCount(manifest: Manifest, capability: string): i32 {
  if (capability == CAPABILITY_SERVE) return manifest.serve.length;
  if (capability == CAPABILITY_OPEN) return manifest.open.length;
  if (capability == CAPABILITY_STATE) return manifest.state.length;
  if (capability == CAPABILITY_SPAWN) return manifest.spawn.length;
  if (capability == CAPABILITY_PORT) return manifest.ports.length / 2;
  if (capability == CAPABILITY_IRQ) return manifest.irqs.length;
  if (capability == CAPABILITY_MMIO) return manifest.mmio.length / 2;
  return 0;
}

const ALL_CAPABILITIES: StaticArray<string> = [
  CAPABILITY_SERVE, CAPABILITY_OPEN, CAPABILITY_STATE, CAPABILITY_SPAWN, CAPABILITY_PORT, CAPABILITY_IRQ, CAPABILITY_MMIO,
];

/** Why the manifest asks for more than its kind may have, or "". */
export function manifestProblem(manifest: Manifest): string {
  for (let i = 0; i < ALL_CAPABILITIES.length; i++) {
    const capability = ALL_CAPABILITIES[i];
    if (entryCount(manifest, capability) > 0 && !kindMay(manifest.kind, capability)) {
      return "the manifest of " + manifest.name + " asks for " + capability + " capabilities, which a component of kind "
        + kindName(manifest.kind) + " may not have";
    }
  }
  return "";
}

/** Why an import of a system call needing `capability` is not granted, or "". */
export function importProblem(manifest: Manifest, importName: string, capability: string): string {
  if (capability.length == 0) return "";
  if (!kindMay(manifest.kind, capability)) {
    return "import delos." + importName + " is not granted: a component of kind " + kindName(manifest.kind) + " may not have " + capability + " capabilities";
  }
  if (entryCount(manifest, capability) == 0) {
    return "import delos." + importName + " is not granted: the manifest of " + manifest.name + " asks for no " + capability + " capability";
  }
  return "";
}

/** `pattern` covers `path`: equal, `*`, or `prefix/*` with `path` below the prefix. */
function covers(pattern: string, path: string): bool {
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

/** Call-time check of a named capability: may `component` serve/open/state/spawn `value`? */
export function allows(component: Component, capability: string, value: string): bool {
  const manifest = component.manifest;
  if (!kindMay(manifest.kind, capability)) return false;
  if (capability == CAPABILITY_SERVE) return listCovers(manifest.serve, value);
  if (capability == CAPABILITY_OPEN) return listCovers(manifest.open, value);
  if (capability == CAPABILITY_STATE) return listCovers(manifest.state, value);
  if (capability == CAPABILITY_SPAWN) return listCovers(manifest.spawn, value);
  return false;
}

/** Call-time check of a numbered capability: may `component` use port / irq line / mmio address `value`? */
export function allowsNumber(component: Component, capability: string, value: u64): bool {
  const manifest = component.manifest;
  if (!kindMay(manifest.kind, capability)) return false;
  if (capability == CAPABILITY_PORT) {
    for (let i = 0; i + 1 < manifest.ports.length; i += 2) {
      if (value >= <u64>manifest.ports[i] && value - <u64>manifest.ports[i] < <u64>manifest.ports[i + 1]) return true;
    }
    return false;
  }
  if (capability == CAPABILITY_IRQ) {
    for (let i = 0; i < manifest.irqs.length; i++) if (<u64>manifest.irqs[i] == value) return true;
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
