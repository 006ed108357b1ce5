// AssemblyScript has no instruction that can fail with `out of bounds
// table access` (its table.copy aborts as "not implemented"), so the build
// gives trapper.wasm's tableOutOfBounds the body AssemblyScript cannot
// write: a table.copy to index 0x7ffffff0 + operand, far past the table's
// end (bulk memory, which the Delos compiler supports). The module goes
// through binaryen's text form and back; everything else stays as asc
// wrote it, names included (the trap test's host check reads them).

import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";

const FUNCTION = "$tests/os/trapper/trapper/tableOutOfBounds";
const OPERAND = "$tests/os/trapper/trapper/operand";

export function patchTableTrap(path) {
  const original = binaryen.readBinary(readFileSync(path));
  const { Features } = binaryen;
  // What asc emitted: nontrapping float-to-int is off for this module.
  const features = Features.MutableGlobals | Features.SignExt | Features.BulkMemory | Features.BulkMemoryOpt | Features.Multivalue;
  original.setFeatures(features);
  const text = original.emitText();
  original.dispose();
  const start = text.indexOf(` (func ${FUNCTION}\n`);
  const end = text.indexOf("\n )\n", start);
  if (start < 0 || end < 0) throw new Error(`${path}: no function ${FUNCTION}`);
  const body = ` (func ${FUNCTION}\n  (table.copy $0 $0\n   (i32.add\n    (i32.const 2147483632)\n    (global.get ${OPERAND})\n   )\n   (i32.const 0)\n   (i32.const 1)\n  )`;
  const patched = binaryen.parseText(text.slice(0, start) + body + text.slice(end));
  try {
    patched.setFeatures(features);
    if (!patched.validate()) throw new Error(`${path}: the patched module does not validate`);
    binaryen.setDebugInfo(true);
    writeFileSync(path, patched.emitBinary());
  } finally {
    patched.dispose();
  }
}
