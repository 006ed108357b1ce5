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
//    instance left;
//  - a DMA state object (state.dma) is a DMA object marked `kept` while its
//    name holds it: a device may go on writing into it between two
//    instances of its driver (bus-master.ts); state.delete unmarks it and
//    first turns off the bus mastering its identity kept, so that its
//    frames never go back while a device may still write into them.

import { Thread } from "./thread";
import { handlesOf } from "./handle";
import { MemoryKind, MemoryObject, createDmaObject, createMemoryObject, dmaSizeProblem, sizeProblem } from "./memory-object";
import { releaseKeptBusMasters } from "./bus-master";
import { CAPABILITY_DMA, allows } from "../component/policy";
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

/** state.dma */
export function stateDma(caller: Thread, name: string, size: u32): i32 {
  const component = caller.component!;
  if (!allows(component, CAPABILITY_DMA, "")) return abi.ERROR_ACCESS_DENIED;
  const owner = component.identity;
  const at = find(owner, name);
  let object: MemoryObject;
  if (at >= 0) {
    object = states[at].object;
    // A name state.open made is not memory a device may be pointed at.
    if (object.kind != MemoryKind.Dma) return abi.ERROR_INVALID_ARGUMENT;
  } else {
    const problem = dmaSizeProblem(size, component);
    if (problem != 0) return problem;
    const created = createDmaObject(size, component);
    if (created == null) return abi.ERROR_NO_MEMORY;
    object = created;
    object.references++;
    object.kept = true;
    states.push(new StateObject(owner, name, object));
  }
  return handlesOf(component).add(object, abi.MEMORY_RIGHTS);
}

/** state.delete */
export function stateDelete(caller: Thread, name: string): i32 {
  const identity = caller.component!.identity;
  const at = find(identity, name);
  if (at < 0) return abi.ERROR_NOT_FOUND;
  const state = states[at];
  states.splice(at, 1);
  if (state.object.kept) {
    // Its frames may go back from here on: no device its identity's ended instances left running may write into them.
    state.object.kept = false;
    releaseKeptBusMasters(identity);
  }
  state.object.unreference();
  return 0;
}
