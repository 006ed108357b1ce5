// The protocols component folders declare themselves, for the generator:
// every folder whose manifest says `@protocol FILE` (sdk/host/components.ts)
// and what FILE exports as `protocols`. FILE is host TypeScript like the
// table (it imports the types of ipc/table/schema.ts); it is bundled with
// esbuild and run here, and what it exports is checked for the table's
// shape before the generator reads it, so that a mistake is reported with
// its file rather than as a crash of the generator.

import { buildSync } from "esbuild";
import { join } from "node:path";
import { discoverComponents } from "../sdk/host/components";
import { FOLDER_GENERATED } from "./generator/folders";
import { GENERATED_FOLDERS } from "./generator/index";
import { type FolderProtocols, ProtocolTableError } from "./generator/model";
import type { Protocol } from "./table/schema";

export interface DeclaredProtocols {
  /** Each folder with `@protocol` and what it declares, in the order the build finds them. */
  folders: FolderProtocols[];
  /** The folders that hold only generated files: the table's, and every component folder's generated/. */
  generatedFolders: string[];
}

/** The component folders under `root` and the protocols they declare. */
export function loadDeclaredProtocols(root: string): DeclaredProtocols {
  const components = discoverComponents(root);
  const folders: FolderProtocols[] = [];
  for (const component of components) {
    if (component.protocol) folders.push({ folder: component.folder, file: component.protocol, protocols: loadDeclaration(root, component.protocol) });
  }
  return { folders, generatedFolders: [...GENERATED_FOLDERS, ...components.map((component) => `${component.folder}/${FOLDER_GENERATED}`)] };
}

/** The `protocols` that `file` (relative to `root`) exports, checked for shape. */
function loadDeclaration(root: string, file: string): Protocol[] {
  let code: string;
  try {
    code = buildSync({ entryPoints: [join(root, file)], bundle: true, write: false, format: "cjs", platform: "neutral", logLevel: "silent" })
      .outputFiles[0]!.text;
  } catch (error) {
    const messages = (error as { errors?: Array<{ text: string; location?: { line: number } | null }> }).errors ?? [];
    const detail = messages.map((m) => `${file}${m.location ? `:${m.location.line}` : ""}: ${m.text}`).join("\n  ");
    throw new ProtocolTableError(`ipc protocols:\n  ${detail || `${file}: ${String(error)}`}`);
  }
  const module = { exports: {} as Record<string, unknown> };
  const noRequire = (name: string) => { throw new ProtocolTableError(`ipc protocols:\n  ${file}: imports ${name}, which is not part of its bundle`); };
  try {
    new Function("module", "exports", "require", code)(module, module.exports, noRequire);
  } catch (error) {
    if (error instanceof ProtocolTableError) throw error;
    throw new ProtocolTableError(`ipc protocols:\n  ${file}: failed while loading: ${String(error)}`);
  }
  const protocols = module.exports.protocols;
  const problems = shapeProblems(protocols);
  if (problems.length > 0) throw new ProtocolTableError(`ipc protocols:\n  ${problems.map((problem) => `${file}: ${problem}`).join("\n  ")}`);
  return protocols as Protocol[];
}

const VALUE_TYPES = new Set(["i32", "u32", "i64", "u64", "bytes"]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Where `value`, a declaration's `protocols` export, is not of the type Protocol[] (ipc/table/schema.ts). */
export function shapeProblems(value: unknown): string[] {
  if (!Array.isArray(value)) return ["exports no `protocols` array (`export const protocols: Protocol[]`, ipc/table/schema.ts)"];
  const problems: string[] = [];
  const need = (object: Record<string, unknown>, key: string, type: string, where: string) => {
    if (typeof object[key] !== type) problems.push(`${where}: \`${key}\` is not a ${type}`);
  };
  value.forEach((protocol: unknown, p) => {
    const where = `protocols[${p}]`;
    if (!isObject(protocol)) { problems.push(`${where} is not a protocol`); return; }
    for (const key of ["name", "path", "doc"]) need(protocol, key, "string", where);
    const named = typeof protocol.name === "string" ? `protocol ${protocol.name}` : where;
    if (!Array.isArray(protocol.messages)) problems.push(`${named}: \`messages\` is not an array`);
    else protocol.messages.forEach((message: unknown, m) => {
      const at = `${named} messages[${m}]`;
      if (!isObject(message)) { problems.push(`${at} is not a message`); return; }
      need(message, "name", "string", at);
      need(message, "operation", "number", at);
      need(message, "doc", "string", at);
      need(message, "idempotent", "boolean", at);
      for (const side of ["request", "reply"]) {
        const fields = message[side];
        if (!Array.isArray(fields)) { problems.push(`${at}: \`${side}\` is not an array of fields`); continue; }
        fields.forEach((field: unknown, f) => {
          const fieldAt = `${at} ${side}[${f}]`;
          if (!isObject(field)) { problems.push(`${fieldAt} is not a field`); return; }
          need(field, "name", "string", fieldAt);
          need(field, "doc", "string", fieldAt);
          if (!VALUE_TYPES.has(field.type as string)) problems.push(`${fieldAt}: \`type\` is one of ${[...VALUE_TYPES].join(", ")}`);
          if (field.length !== undefined && (field.type !== "bytes" || !Number.isInteger(field.length) || (field.length as number) <= 0)) {
            problems.push(`${fieldAt}: \`length\` is a positive whole number, of a bytes field only`);
          }
        });
      }
      if (message.handle !== undefined) {
        if (!isObject(message.handle)) problems.push(`${at}: \`handle\` is not { name, doc }`);
        else { need(message.handle, "name", "string", `${at} handle`); need(message.handle, "doc", "string", `${at} handle`); }
      }
    });
    if (protocol.errors !== undefined) {
      if (!Array.isArray(protocol.errors)) problems.push(`${named}: \`errors\` is not an array`);
      else protocol.errors.forEach((error: unknown, e) => {
        const at = `${named} errors[${e}]`;
        if (!isObject(error)) { problems.push(`${at} is not an error`); return; }
        need(error, "name", "string", at);
        need(error, "doc", "string", at);
        if (!Number.isInteger(error.code)) problems.push(`${at}: \`code\` is not a whole number`);
      });
    }
  });
  return problems;
}
