// What the runner grants each program it spawns (component.spawn's grant,
// docs/kernel.md "Manifests and capabilities"): the grant the program's
// folder manifest gives (its `component.manifest`, through the image table
// the runner is built with: sdk/lib/image.ts), within the runner's own.
// The authority test writes its own grants instead, narrower than the
// hostile program's manifest asks.

import { ERROR_NOT_FOUND } from "../../../ipc/generated/index";
import { findImageComponent } from "../../../sdk/lib/image";
import { spawn } from "./supervision";

/** Starts the image's component `name` with its folder's grant and the runner as its supervisor: its id, or an error (NOT_FOUND: no such component in the image). */
export function spawnComponent(name: string): i32 {
  const component = findImageComponent(name);
  if (component == null) return ERROR_NOT_FOUND;
  return spawn(component.path, component.grant);
}
