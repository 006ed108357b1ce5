// Spawning with a grant given as text: component.spawn takes the grant as
// bytes (manifest text, docs/kernel.md "Manifests and capabilities"); a
// supervisor writes it as a string, one entry a line.

import { Handle, componentSpawn } from "../generated/system";

/** component.spawn of `path` with `grant` (manifest text; "": nothing beyond the defaults), end pulses through `supervisor`. */
export function spawnGranted(path: string, supervisor: Handle, grant: string): i32 {
  const bytes = String.UTF8.encode(grant);
  return componentSpawn(path, supervisor, changetype<usize>(bytes), <u32>bytes.byteLength);
}
