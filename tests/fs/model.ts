// A model of a Delos volume's tree of files, as plain maps, and a reading of
// a real volume into the same shape: the crash and differential tests
// compare the two. The model's operations fail as the library's do, with
// the same status (sdk/lib/fs/volume.ts).

import { FsError, FsStatus, FsVolume } from "../../sdk/host/fs-volume";

export interface ModelFile { directory: boolean; data: Uint8Array; }

export class Model {
  files = new Map<string, ModelFile>([["/", { directory: true, data: new Uint8Array(0) }]]);

  clone(): Model {
    const copy = new Model();
    copy.files = new Map([...this.files].map(([path, file]) => [path, { directory: file.directory, data: file.data.slice() }]));
    return copy;
  }

  /** Every path with its kind and contents, sorted: what two equal trees print alike. */
  render(): string[] {
    return [...this.files].map(([path, file]) => file.directory ? (path === "/" ? "/" : `${path}/`) : `${path} ${file.data.length} ${hash(file.data)}`).sort();
  }

  private parentOf(path: string): string { return path.slice(0, path.lastIndexOf("/")) || "/"; }
  private childrenOf(path: string): string[] {
    const prefix = path === "/" ? "/" : path + "/";
    return [...this.files.keys()].filter((p) => p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes("/"));
  }

  /** The status the library gives for each operation here, applying the operation when it is OK. */
  make(path: string, directory: boolean): number {
    const parent = this.files.get(this.parentOf(path));
    if (!parent) return FsStatus.NOT_FOUND;
    if (!parent.directory) return FsStatus.NOT_DIRECTORY;
    if (this.files.has(path)) return FsStatus.EXISTS;
    this.files.set(path, { directory, data: new Uint8Array(0) });
    return FsStatus.OK;
  }

  write(path: string, offset: number, data: Uint8Array): number {
    const file = this.files.get(path)!;
    if (file.directory) return FsStatus.IS_DIRECTORY;
    if (data.length === 0) return FsStatus.OK; // an empty write does not extend a file
    const end = Math.max(file.data.length, offset + data.length);
    const grown = new Uint8Array(end);
    grown.set(file.data);
    grown.set(data, offset);
    file.data = grown;
    return FsStatus.OK;
  }

  truncate(path: string, size: number): number {
    const file = this.files.get(path)!;
    if (file.directory) return FsStatus.IS_DIRECTORY;
    const resized = new Uint8Array(size);
    resized.set(file.data.subarray(0, Math.min(size, file.data.length)));
    file.data = resized;
    return FsStatus.OK;
  }

  remove(path: string): number {
    const file = this.files.get(path);
    if (!file) return FsStatus.NOT_FOUND;
    if (file.directory && this.childrenOf(path).length > 0) return FsStatus.NOT_EMPTY;
    this.files.delete(path);
    return FsStatus.OK;
  }

  rename(from: string, to: string): number {
    const source = this.files.get(from);
    if (!source) return FsStatus.NOT_FOUND;
    const toParent = this.parentOf(to);
    const parent = this.files.get(toParent);
    if (!parent) return FsStatus.NOT_FOUND;
    if (!parent.directory) return FsStatus.NOT_DIRECTORY;
    if (from === to) return FsStatus.OK;
    if (source.directory && (toParent === from || toParent.startsWith(from + "/"))) return FsStatus.INVALID;
    const target = this.files.get(to);
    if (target) {
      if (target.directory && !source.directory) return FsStatus.IS_DIRECTORY;
      if (!target.directory && source.directory) return FsStatus.NOT_DIRECTORY;
      if (target.directory && this.childrenOf(to).length > 0) return FsStatus.NOT_EMPTY;
      this.files.delete(to);
    }
    for (const [path, file] of [...this.files]) {
      if (path === from || path.startsWith(from + "/")) {
        this.files.delete(path);
        this.files.set(to + path.slice(from.length), file);
      }
    }
    return FsStatus.OK;
  }

  paths(directory: boolean): string[] { return [...this.files].filter(([, f]) => f.directory === directory).map(([p]) => p); }
}

/** A short digest of bytes, enough to tell contents apart in a comparison. */
export function hash(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const byte of data) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16);
}

/** The volume's tree in the shape of Model.render. */
export function renderVolume(volume: FsVolume): string[] {
  const lines: string[] = [];
  const visit = (path: string) => {
    lines.push(`${path}/`.replace("//", "/"));
    for (const entry of volume.list(path)) {
      const child = path === "/" ? `/${entry.name}` : `${path}/${entry.name}`;
      if (entry.directory) visit(child);
      else {
        const data = volume.readFile(child);
        lines.push(`${child} ${data.length} ${hash(data)}`);
      }
    }
  };
  visit("/");
  return lines.sort();
}

/** Runs a volume operation and gives its status (0, or the FsError's). */
export function statusOf(operation: () => unknown): number {
  try {
    operation();
    return FsStatus.OK;
  } catch (error) {
    if (error instanceof FsError) return error.status;
    throw error;
  }
}
