// Rewrites a test program's wasm through binaryen's text form, for the
// build steps that give a function a body AssemblyScript cannot write
// (tests/os/trapper/table-trap.mjs, tests/os/hostile-overflow/huge-frame.mjs):
// read, print as text, edit the text, parse it back, validate, write it
// with its names. Everything the edit leaves alone stays as asc wrote it.

import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";

/** What asc emits by default: mutable globals, sign extension, bulk memory, non-trapping float-to-int, multi-value. */
export const ASC_FEATURES = binaryen.Features.MutableGlobals | binaryen.Features.SignExt | binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt | binaryen.Features.NontrappingFPToInt | binaryen.Features.Multivalue;

/** Rewrites the module at `path`: `edit(text)` returns the new text. */
export function patchText(path, features, edit) {
  const original = binaryen.readBinary(readFileSync(path));
  original.setFeatures(features);
  const text = original.emitText();
  original.dispose();
  const patched = binaryen.parseText(edit(text));
  try {
    patched.setFeatures(features);
    if (!patched.validate()) throw new Error(`${path}: the patched module does not validate`);
    binaryen.setDebugInfo(true);
    writeFileSync(path, patched.emitBinary());
  } finally {
    patched.dispose();
  }
}

/** `text` with the body of function `name` (after its header line) replaced by `body`. */
export function replaceBody(path, text, name, body) {
  let start = text.indexOf(` (func ${name} `);
  if (start < 0) start = text.indexOf(` (func ${name}\n`);
  const end = text.indexOf("\n )\n", start);
  if (start < 0 || end < 0) throw new Error(`${path}: no function ${name}`);
  const header = text.slice(start, text.indexOf("\n", start));
  return text.slice(0, start) + header + "\n" + body + text.slice(end);
}
