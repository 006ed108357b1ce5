// threads-malformed.wasm's `__heap_base` export, which sdk/build's
// transform made for the real global, is pointed at a constant of its
// own lying far past the module's memory, so that the kernel's check of
// the shadow-stack exports has something to refuse. Everything else stays
// as asc wrote it.

import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";

/** Past any memory a test program starts with. */
const BAD_HEAP_BASE = 0x7fff0000;

export function patchHeapBase(path) {
  const module = binaryen.readBinary(readFileSync(path));
  try {
    module.setFeatures(binaryen.Features.All);
    if (module.getExport("__heap_base") === 0) throw new Error(`${path}: no __heap_base export to replace`);
    module.removeExport("__heap_base");
    module.addGlobal("malformed_heap_base", binaryen.i32, false, module.i32.const(BAD_HEAP_BASE));
    module.addGlobalExport("malformed_heap_base", "__heap_base");
    if (!module.validate()) throw new Error(`${path}: the patched module does not validate`);
    binaryen.setDebugInfo(true);
    writeFileSync(path, module.emitBinary());
  } finally {
    module.dispose();
  }
}
