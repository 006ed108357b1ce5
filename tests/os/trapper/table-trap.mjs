// AssemblyScript has no instruction that can fail with `out of bounds
// table access` (its table.copy aborts as "not implemented"), so the build
// gives trapper.wasm's tableOutOfBounds the body AssemblyScript cannot
// write: a table.copy to index 0x7ffffff0 + operand, far past the table's
// end (bulk memory, which the Delos compiler supports). The module goes
// through binaryen's text form and back (tests/os/lib/patch-text.mjs);
// everything else stays as asc wrote it, names included (the trap test's
// host check reads them).

import binaryen from "binaryen";
import { ASC_FEATURES, patchText, replaceBody } from "../lib/patch-text.mjs";

const FUNCTION = "$tests/os/trapper/trapper/tableOutOfBounds";
const OPERAND = "$tests/os/trapper/trapper/operand";

export function patchTableTrap(path) {
  // What asc emitted: nontrapping float-to-int is off for this module.
  const features = ASC_FEATURES & ~binaryen.Features.NontrappingFPToInt;
  patchText(path, features, (text) => replaceBody(path, text, FUNCTION,
    `  (table.copy $0 $0\n   (i32.add\n    (i32.const 2147483632)\n    (global.get ${OPERAND})\n   )\n   (i32.const 0)\n   (i32.const 1)\n  )`));
}
