// SHA-256 (FIPS 180-4), the key of the code cache: a component's native
// code is found by the hash of its wasm, and the image build names the
// code it compiled ahead of time the same way (cache/HEX.delos). The hash
// is the one the verified system volume uses (sdk/lib/fs/sha256.ts).

import { DIGEST_SIZE, hexOf, sha256 } from "../../sdk/lib/fs/sha256";

const digest = memory.data(32, 16);

/** The SHA-256 of `data` as 64 lower-case hexadecimal digits. */
export function sha256Hex(data: Uint8Array): string {
  sha256(data.dataStart, <usize>data.length, digest);
  return hexOf(digest, DIGEST_SIZE);
}
