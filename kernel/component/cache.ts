// The code cache: compiled components by the SHA-256 of their wasm. A hit
// skips the compiler, and every instance of a cached component shares its
// mapped code (a restarted server starts without compiling). Code the
// image build compiled ahead of time sits in the payload as
// cache/HEX.delos and is taken like a hit. Nothing is evicted yet.

import { CompiledComponent } from "../../sdk/loader/component";

const hashes = new Array<string>();
const entries = new Array<CompiledComponent>();

export function cached(hash: string): CompiledComponent | null {
  for (let i = 0; i < hashes.length; i++) if (hashes[i] == hash) return entries[i];
  return null;
}

export function remember(hash: string, component: CompiledComponent): void {
  hashes.push(hash);
  entries.push(component);
}

export function cachedCount(): i32 { return hashes.length; }

/** The payload path of code compiled ahead of time for wasm with this hash. */
export function prebuiltPath(hash: string): string { return "cache/" + hash + ".delos"; }

/** Bytes of compiled code mapped for the cached components, whole pages. */
export function cachedCodeBytes(): u64 {
  let bytes: u64 = 0;
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].mappedCode != 0) bytes += (<u64>entries[i].codeLength + 4095) & ~<u64>4095;
  }
  return bytes;
}
