// SHA-256 (FIPS 180-4): the hash of the system volume's hash tree
// (verity.ts) and, through kernel/component/sha256.ts, the key of the
// kernel's code cache. One call hashes a buffer in memory; there is no
// streaming state. Plain AssemblyScript over static memory (no allocation,
// no bounds checks in the rounds, no host imports), so the kernel, the file
// server and the image builder on the host all run this same code.

/** Bytes in a digest. */
export const DIGEST_SIZE: i32 = 32;

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const INITIAL: StaticArray<u32> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// Working memory in static data: the kernel hashes before its heap is of any use.
const state = memory.data(32, 16);
const schedule = memory.data(256, 16);
/** The last one or two 64-byte chunks: the message's tail, 0x80, zeros, the length in bits. */
const tail = memory.data(128, 16);

// @ts-ignore: decorator
@inline function word(area: usize, index: i32): u32 { return load<u32>(area + (<usize>index << 2)); }
// @ts-ignore: decorator
@inline function setWord(area: usize, index: i32, value: u32): void { store<u32>(area + (<usize>index << 2), value); }

/** Mixes the 64-byte chunk at `chunk` into the state. */
function compress(chunk: usize): void {
  for (let i = 0; i < 16; i++) setWord(schedule, i, bswap<u32>(load<u32>(chunk + (<usize>i << 2))));
  for (let i = 16; i < 64; i++) {
    const w15 = word(schedule, i - 15), w2 = word(schedule, i - 2);
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    setWord(schedule, i, word(schedule, i - 16) + s0 + word(schedule, i - 7) + s1);
  }
  let a = word(state, 0), b = word(state, 1), c = word(state, 2), d = word(state, 3);
  let e = word(state, 4), f = word(state, 5), g = word(state, 6), h = word(state, 7);
  const k = changetype<usize>(K);
  for (let i = 0; i < 64; i++) {
    const t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g)) + word(k, i) + word(schedule, i);
    const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  setWord(state, 0, word(state, 0) + a); setWord(state, 1, word(state, 1) + b);
  setWord(state, 2, word(state, 2) + c); setWord(state, 3, word(state, 3) + d);
  setWord(state, 4, word(state, 4) + e); setWord(state, 5, word(state, 5) + f);
  setWord(state, 6, word(state, 6) + g); setWord(state, 7, word(state, 7) + h);
}

/** Writes the SHA-256 of the `length` bytes at `data` into the DIGEST_SIZE bytes at `digest`. */
export function sha256(data: usize, length: usize, digest: usize): void {
  memory.copy(state, changetype<usize>(INITIAL), 32);
  const whole = length & ~(<usize>63);
  for (let at: usize = 0; at < whole; at += 64) compress(data + at);
  const rest = length - whole;
  memory.fill(tail, 0, 128);
  memory.copy(tail, data + whole, rest);
  store<u8>(tail + rest, 0x80);
  const chunks: usize = rest + 9 <= 64 ? 1 : 2;
  store<u64>(tail + chunks * 64 - 8, bswap<u64>(<u64>length << 3));
  for (let i: usize = 0; i < chunks; i++) compress(tail + i * 64);
  for (let i = 0; i < 8; i++) store<u32>(digest + (<usize>i << 2), bswap<u32>(word(state, i)));
}

/** Lower-case hexadecimal of `length` bytes at `at` (a digest: 64 digits). */
export function hexOf(at: usize, length: i32): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    const byte = <i32>load<u8>(at + <usize>i);
    text += String.fromCharCode((byte >> 4) < 10 ? 48 + (byte >> 4) : 87 + (byte >> 4));
    text += String.fromCharCode((byte & 15) < 10 ? 48 + (byte & 15) : 87 + (byte & 15));
  }
  return text;
}
