// The generator: from the table (ipc/table) and the protocols component
// folders declare (folders.ts) to every generated file — the kernel
// dispatch, the AssemblyScript client bindings, the protocols' server side
// and the reference docs — as a map from repository path to contents.
// Pure: finding the folders' declarations is ../components.ts's job, writing
// the files generate.ts's, comparing them with the checked-in copies the
// golden test's (tests/ipc).

import type { Table } from "../table/index";
import { generateClient } from "./client";
import { generateDocs } from "./docs";
import { generateKernel } from "./kernel";
import { generateFolder } from "./folders";
import { checkFolders, checkTable, type FolderProtocols } from "./model";
import { generateServers } from "./server";

/** Folders that hold only generated files: a file there that the generator does not produce is stale. */
export const GENERATED_FOLDERS = ["ipc/generated", "kernel/generated", "docs/generated"];

/** Every generated file of the table and of `folders`, the component folders' own protocols (checked against the table's and one another's). */
export function generateAll(table: Table, folders: FolderProtocols[] = []): Map<string, string> {
  checkTable(table);
  checkFolders(table, folders);
  const files = new Map<string, string>();
  const parts = [generateKernel(table), generateClient(table), generateServers(table), generateDocs(table), ...folders.map(generateFolder)];
  for (const part of parts) {
    for (const [path, text] of part) files.set(path, text);
  }
  return files;
}
