// SHA-256 (FIPS 180-4), the key of the code cache: a component's native
// code is found by the hash of its wasm, and the image build names the
// code it compiled ahead of time the same way (cache/HEX.delos).

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

// Working memory, raw: this runs over every wasm the kernel loads, so no bounds checks in the rounds.
const state = memory.data(32, 16);
const schedule = memory.data(256, 16);
const block = memory.data(64, 16);

// @ts-ignore: decorator
@inline function word(area: usize, index: i32): u32 { return load<u32>(area + (<usize>index << 2)); }
// @ts-ignore: decorator
@inline function setWord(area: usize, index: i32, value: u32): void { store<u32>(area + (<usize>index << 2), value); }

/** One 64-byte block at `data` (kernel memory) into the state. */
function compress(data: usize): void {
  for (let i = 0; i < 16; i++) setWord(schedule, i, bswap<u32>(load<u32>(data + (<usize>i << 2))));
  for (let i = 16; i < 64; i++) {
    const a = word(schedule, i - 15), b = word(schedule, i - 2);
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    setWord(schedule, i, word(schedule, i - 16) + s0 + word(schedule, i - 7) + s1);
  }
  let a = word(state, 0), b = word(state, 1), c = word(state, 2), d = word(state, 3);
  let e = word(state, 4), f = word(state, 5), g = word(state, 6), h = word(state, 7);
  const k = changetype<usize>(K);
  for (let i = 0; i < 64; i++) {
    const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + word(k, i) + word(schedule, i);
    const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  setWord(state, 0, word(state, 0) + a); setWord(state, 1, word(state, 1) + b);
  setWord(state, 2, word(state, 2) + c); setWord(state, 3, word(state, 3) + d);
  setWord(state, 4, word(state, 4) + e); setWord(state, 5, word(state, 5) + f);
  setWord(state, 6, word(state, 6) + g); setWord(state, 7, word(state, 7) + h);
}

const INITIAL: StaticArray<u32> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** The SHA-256 of `data` as 64 lower-case hexadecimal digits. */
export function sha256Hex(data: Uint8Array): string {
  memory.copy(state, changetype<usize>(INITIAL), 32);
  const length = <usize>data.length;
  const start = data.dataStart;
  let at: usize = 0;
  for (; at + 64 <= length; at += 64) compress(start + at);
  // The tail, 0x80, zeros, and the length in bits (big-endian) ending a block.
  let used = length - at;
  memory.copy(block, start + at, used);
  store<u8>(block + used++, 0x80);
  if (used > 56) {
    memory.fill(block + used, 0, 64 - used);
    compress(block);
    used = 0;
  }
  memory.fill(block + used, 0, 56 - used);
  store<u64>(block + 56, bswap<u64>(<u64>length * 8));
  compress(block);
  let text = "";
  for (let i = 0; i < 8; i++) {
    const value = word(state, i);
    for (let shift = 28; shift >= 0; shift -= 4) text += String.fromCharCode(HEX.charCodeAt(<i32>((value >>> <u32>shift) & 15)));
  }
  return text;
}

const HEX = "0123456789abcdef";
