// State objects: named memory objects the kernel holds on behalf of a
// server, so that multi-client state (a compositor's scene, a disk's
// queue) outlives any one instance of it (docs/design.md section 4). The name
// belongs to the component's identity, not to the instance: the identity
// is the one its supervisor gave it under its own (`init/store`,
// component/authority.ts), so the next instance of a restarted server
// opens the same pages with state.open, and no other component can.
//
// Invariants:
//  - (identity, state name) names at most one object; the table holds
//    one reference to it until state.delete, so it survives every handle
//    and mapping of every instance;
//  - only a component whose rights list the state name reaches it (the
//    dispatch checks the `state` capability), and only under its own
//    identity: two servers' states never mix, whatever their manifests say;
//  - the pages are zeroed once, at creation; a re-attach sees what the last
//    instance left.

import { Thread } from "./thread";
import { handlesOf } from "./handle";
import { MemoryObject, createMemoryObject, sizeProblem } from "./memory-object";
import * as abi from "../generated/abi";

class StateObject {
  constructor(readonly owner: string, readonly name: string, readonly object: MemoryObject) {}
}

const states = new Array<StateObject>();

function find(owner: string, name: string): i32 {
  for (let i = 0; i < states.length; i++) if (states[i].owner == owner && states[i].name == name) return i;
  return -1;
}

/** How many state objects the kernel holds (reports). */
export function stateObjectCount(): i32 { return states.length; }

/** state.open */
export function stateOpen(caller: Thread, name: string, size: u32): i32 {
  const component = caller.component!;
  const owner = component.identity;
  const at = find(owner, name);
  let object: MemoryObject;
  if (at >= 0) {
    object = states[at].object;
  } else {
    const problem = sizeProblem(<u64>size, component);
    if (problem != 0) return problem;
    const created = createMemoryObject(<u64>size, component);
    if (created == null) return abi.ERROR_NO_MEMORY;
    object = created;
    object.references++;
    states.push(new StateObject(owner, name, object));
  }
  return handlesOf(component).add(object, abi.MEMORY_RIGHTS);
}

/** state.delete */
export function stateDelete(caller: Thread, name: string): i32 {
  const at = find(caller.component!.identity, name);
  if (at < 0) return abi.ERROR_NOT_FOUND;
  const state = states[at];
  states.splice(at, 1);
  state.object.unreference();
  return 0;
}
