// Where a native pc is in a component, for exception reports: the
// component (the running thread's, when its code holds the pc), the wasm
// function and the byte offset, from the compiled component's pc map.
// Only code the loader mapped is looked up; the lookup allocates, which is
// safe there: an exception in component code never interrupts the kernel's
// allocator.

import * as console from "../console";
import { currentThread } from "../sched/scheduler";
import { allComponents } from "./component";
import { compilerCode } from "./compiler";
import { kernelLinker } from "./loader";
import { isComponentCode } from "./platform";

/** Prints ` in component N (NAME) wasm function F at wasm offset 0xW` for a pc in component code; false for any other pc. */
export function printComponentLocation(pc: u64): bool {
  if (!isComponentCode(pc)) return false;
  const location = kernelLinker().locate(pc);
  if (location == null) return false;
  const running = currentThread().component;
  if (location.component === compilerCode()) {
    console.text(" in the compiler component");
  } else if (running != null && running.compiled === location.component) {
    console.text(" in component ");
    console.decimal(<u64>running.id);
    console.text(" (");
    console.text(running.name);
    console.text(")");
  } else {
    const components = allComponents();
    let found = false;
    for (let i = 0; i < components.length && !found; i++) {
      if (components[i].compiled !== location.component) continue;
      console.text(" in the code of component ");
      console.text(components[i].name);
      found = true;
    }
    if (!found) console.text(" in component code");
  }
  if (location.funcIndex >= 0) {
    console.text(" wasm function ");
    console.decimal(<u64>location.funcIndex);
    if (location.wasmOffset >= 0) {
      console.text(" at wasm offset ");
      console.hex(<u64>location.wasmOffset);
    }
  }
  return true;
}
