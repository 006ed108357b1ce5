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

const state = new StaticArray<u32>(8);
const schedule = new StaticArray<u32>(64);
const block = new StaticArray<u8>(64);

function compress(): void {
  for (let i = 0; i < 16; i++) {
    schedule[i] = (<u32>block[4 * i] << 24) | (<u32>block[4 * i + 1] << 16) | (<u32>block[4 * i + 2] << 8) | <u32>block[4 * i + 3];
  }
  for (let i = 16; i < 64; i++) {
    const a = schedule[i - 15], b = schedule[i - 2];
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    schedule[i] = schedule[i - 16] + s0 + schedule[i - 7] + s1;
  }
  let a = state[0], b = state[1], c = state[2], d = state[3];
  let e = state[4], f = state[5], g = state[6], h = state[7];
  for (let i = 0; i < 64; i++) {
    const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + schedule[i];
    const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

/** The SHA-256 of `data` as 64 lower-case hexadecimal digits. */
export function sha256Hex(data: Uint8Array): string {
  state[0] = 0x6a09e667; state[1] = 0xbb67ae85; state[2] = 0x3c6ef372; state[3] = 0xa54ff53a;
  state[4] = 0x510e527f; state[5] = 0x9b05688c; state[6] = 0x1f83d9ab; state[7] = 0x5be0cd19;
  const length = data.length;
  let at = 0;
  for (; at + 64 <= length; at += 64) {
    for (let i = 0; i < 64; i++) block[i] = data[at + i];
    compress();
  }
  // The tail, 0x80, zeros, and the length in bits (big-endian) ending a block.
  let used = length - at;
  for (let i = 0; i < used; i++) block[i] = data[at + i];
  block[used++] = 0x80;
  if (used > 56) {
    for (let i = used; i < 64; i++) block[i] = 0;
    compress();
    used = 0;
  }
  for (let i = used; i < 56; i++) block[i] = 0;
  const bits = <u64>length * 8;
  for (let i = 0; i < 8; i++) block[56 + i] = <u8>(bits >> <u64>(56 - 8 * i));
  compress();
  let text = "";
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    for (let k = 28; k >= 0; k -= 4) text += String.fromCharCode(HEX.charCodeAt(<i32>((word >>> <u32>k) & 15)));
  }
  return text;
}

const HEX = "0123456789abcdef";
