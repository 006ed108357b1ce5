// `delos new KIND NAME`: writes a new component folder from the templates of
// sdk/templates — driver: drivers/NAME, server: servers/NAME, app:
// desktop/apps/NAME — with its manifest, its source, an in-OS test and, for
// a driver or a server, the protocol it serves: its declaration
// (protocol.ts, named by the manifest's `@protocol`) and what the ipc
// generator makes of it in the folder's generated/ — the client bindings
// and the server side its source is written against. The build finds the
// folder by its manifest (sdk/host/components.ts) and the test image
// carries it and runs its test; nothing outside the folder changes.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { COMPONENT_MANIFEST, COMPONENT_NAME, ComponentError, discoverComponents } from "../../host/components";
import { loadDeclaredProtocols } from "../../../ipc/components";
import { generateAll } from "../../../ipc/generator/index";
import { pascal, protocolFile, ProtocolTableError, screaming } from "../../../ipc/generator/model";
import { table } from "../../../ipc/table/index";
import { repoRoot } from "../../host/paths";
import { CliCommand, optionValue, UsageError } from "../command";

/** Where each kind's folder goes, and which template folders it is made from (later ones' files win). */
const KINDS: Record<string, { under: string; templates: string[]; path: (name: string) => string | null }> = {
  driver: { under: "drivers", templates: ["service", "driver"], path: (name) => `/dev/${name}` },
  server: { under: "servers", templates: ["service", "server"], path: (name) => `/svc/${name}` },
  app: { under: "desktop/apps", templates: ["app"], path: () => null },
};

export const templatesDir = (root: string) => join(root, "sdk", "templates");

/** Writes component folder KIND NAME under `root`: the files written, relative to `root`. */
export function newComponent(kind: string, name: string, root: string = repoRoot): string[] {
  const spec = KINDS[kind];
  if (!spec) throw new UsageError(`no component kind ${JSON.stringify(kind)} (kinds: ${Object.keys(KINDS).join(", ")})`);
  if (!COMPONENT_NAME.test(name)) {
    throw new UsageError(`${JSON.stringify(name)} is not a component name: lowercase letters, digits and '-', starting with a letter, at most 58 characters`);
  }
  if (name.endsWith("-test")) throw new UsageError(`${name}: a name ending in -test is taken by the in-OS tests (NAME-test)`);
  const folder = `${spec.under}/${name}`;
  if (existsSync(join(root, folder))) throw new UsageError(`${folder} exists already`);
  let existing;
  try {
    existing = discoverComponents(root);
  } catch (error) {
    if (error instanceof ComponentError) throw new UsageError(`the component folders are not in order: ${error.message}`);
    throw error;
  }
  const clash = existing.find((component) => component.name === name || component.test?.name === name || component.name === `${name}-test`);
  if (clash) throw new UsageError(`${name}: ${clash.folder} is a component of that name already`);

  const path = spec.path(name);
  // The protocol is named after the component, with `_` for `-` (protocol names are dotted identifiers).
  const protocol = name.replace(/-/g, "_");
  const values: Record<string, string> = {
    NAME: name,
    PROTOCOL: protocol,
    FILE: protocolFile({ name: protocol }),
    CONST: screaming(protocol),
    PASCAL: pascal(protocol),
    PATH: path ?? "",
    ROOT: "../".repeat(folder.split("/").length),
  };
  const files = new Map<string, string>();
  for (const template of spec.templates) {
    const from = join(templatesDir(root), template);
    for (const file of readdirSync(from)) {
      const target = file === "main.ts" ? `${name}.ts` : file;
      files.set(target, readFileSync(join(from, file), "utf8").replace(/\{\{([A-Z]+)\}\}/g, (whole, key: string) => {
        const value = values[key];
        if (value === undefined) throw new Error(`${relative(root, join(from, file))}: unknown placeholder ${whole}`);
        return value;
      }));
    }
  }
  if (!files.has(COMPONENT_MANIFEST)) throw new Error(`the ${kind} templates give no ${COMPONENT_MANIFEST}`);
  mkdirSync(join(root, folder), { recursive: true });
  const written: string[] = [];
  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    writeFileSync(join(root, folder, file), text);
    written.push(`${folder}/${file}`);
  }
  try {
    written.push(...writeGenerated(root, folder));
  } catch (error) {
    // A protocol that clashes with one of the table or of another folder: no folder rather than half of one.
    rmSync(join(root, folder), { recursive: true, force: true });
    if (error instanceof ProtocolTableError || error instanceof ComponentError) throw new UsageError(`${folder}: ${error.message}`);
    throw error;
  }
  return written;
}

/**
 * Writes what the ipc generator makes of `folder`'s own protocols (checked
 * against the table's and every other folder's) into its generated/, and
 * nothing outside it: the files written, relative to `root`.
 */
function writeGenerated(root: string, folder: string): string[] {
  const { folders } = loadDeclaredProtocols(root);
  const written: string[] = [];
  for (const [path, text] of generateAll(table, folders)) {
    if (!path.startsWith(`${folder}/`)) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    written.push(path);
  }
  return written;
}

export const create: CliCommand = {
  name: "new",
  summary: "write a new component folder: driver -> drivers/NAME, server -> servers/NAME, app -> desktop/apps/NAME",
  usage: "delos new driver|server|app NAME [--root DIR]",
  run(args) {
    const positional: string[] = [];
    let root = repoRoot;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === "--root") root = optionValue(args, i++, arg);
      else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else positional.push(arg);
    }
    if (positional.length !== 2) throw new UsageError(`usage: ${create.usage}`);
    const [kind, name] = positional as [string, string];
    for (const file of newComponent(kind, name, root)) process.stdout.write(`new: wrote ${file}\n`);
    process.stdout.write(`new: npm test builds ${name}, puts it in the test image and runs its test (${name}-test)\n`);
    return 0;
  },
};
