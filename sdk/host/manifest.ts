// Component manifests at image build time (docs/kernel.md, "Manifests and
// capabilities"): a `.manifest` text file beside a program's source is
// embedded into its wasm as the custom section `delos.manifest`, so that the
// module and what it may do travel together; the kernel reads it back when
// it loads the component. Also the cache key the kernel uses for native
// code: the SHA-256 of the wasm (cache/HEX.delos in the payload holds code
// compiled ahead of time).

import { createHash } from "node:crypto";

export const MANIFEST_SECTION = "delos.manifest";

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function readUleb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0, shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error("truncated LEB128");
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

/** The text of the module's `delos.manifest` section, or null. */
export function readManifest(wasm: Uint8Array): string | null {
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at++]!;
    const [size, start] = readUleb(wasm, at);
    const end = start + size;
    if (id === 0) {
      const [nameLength, nameStart] = readUleb(wasm, start);
      const name = new TextDecoder().decode(wasm.subarray(nameStart, nameStart + nameLength));
      if (name === MANIFEST_SECTION) return new TextDecoder().decode(wasm.subarray(nameStart + nameLength, end));
    }
    at = end;
  }
  return null;
}

/**
 * `wasm` as an image carries it: its `delos.manifest` section (if any)
 * replaced by one holding `manifest`, and its `name` section left out.
 * Function names are for the host's tools (traces, profiles), which read
 * the build's own copy; nothing on Delos reads a component's (a fault
 * report names the component and the function index: docs/kernel.md), and
 * they were a tenth of the payload's wasm.
 */
export function withManifest(wasm: Uint8Array, manifest: string): Uint8Array {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error("not a wasm module");
  const kept: Uint8Array[] = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const sectionStart = at;
    const id = wasm[at++]!;
    const [size, start] = readUleb(wasm, at);
    const end = start + size;
    let drop = false;
    if (id === 0) {
      const [nameLength, nameStart] = readUleb(wasm, start);
      const name = new TextDecoder().decode(wasm.subarray(nameStart, nameStart + nameLength));
      drop = name === MANIFEST_SECTION || name === "name";
    }
    if (!drop) kept.push(wasm.subarray(sectionStart, end));
    at = end;
  }
  const name = new TextEncoder().encode(MANIFEST_SECTION);
  const text = new TextEncoder().encode(manifest);
  const body = [...uleb(name.length), ...name, ...text];
  kept.push(Uint8Array.from([0, ...uleb(body.length), ...body]));
  const total = kept.reduce((sum, part) => sum + part.length, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of kept) { result.set(part, offset); offset += part.length; }
  return result;
}

/** The code cache's key of a wasm module: its SHA-256 in hexadecimal. */
export function codeHash(wasm: Uint8Array): string {
  return createHash("sha256").update(wasm).digest("hex");
}

/** The payload path of native code compiled ahead of time for `wasm`. */
export function prebuiltPath(wasm: Uint8Array): string {
  return `cache/${codeHash(wasm)}.delos`;
}
