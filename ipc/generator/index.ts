// The generator: from the table (ipc/table) to every generated file — the
// kernel dispatch, the AssemblyScript client bindings, the protocols'
// server side and the reference docs — as a map from repository path to
// contents. Pure: writing them is generate.ts's job, comparing them with
// the checked-in copies the golden test's (tests/ipc).

import type { Table } from "../table/index";
import { generateClient } from "./client";
import { generateDocs } from "./docs";
import { generateKernel } from "./kernel";
import { checkTable } from "./model";
import { generateServers } from "./server";

/** Folders that hold only generated files: a file there that the generator does not produce is stale. */
export const GENERATED_FOLDERS = ["ipc/generated", "kernel/generated", "docs/generated"];

export function generateAll(table: Table): Map<string, string> {
  checkTable(table);
  const files = new Map<string, string>();
  for (const part of [generateKernel(table), generateClient(table), generateServers(table), generateDocs(table)]) {
    for (const [path, text] of part) files.set(path, text);
  }
  return files;
}
