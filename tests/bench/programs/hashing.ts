// Integer: hashes a pseudo-random buffer with a 32-bit multiply-rotate hash
// (in the style of MurmurHash3) and a 64-bit one (in the style of FNV-1a
// over words), n rounds. Returns the combined hash.

const SIZE = 64 * 1024;
const buffer = new StaticArray<u32>(SIZE / 4);

function fill(seed: u32): void {
  let x = seed | 1;
  for (let i = 0; i < SIZE / 4; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    unchecked(buffer[i] = x);
  }
}

function murmur(seed: u32): u32 {
  let h = seed;
  for (let i = 0; i < SIZE / 4; i++) {
    let k = unchecked(buffer[i]);
    k *= 0xcc9e2d51; k = rotl<u32>(k, 15); k *= 0x1b873593;
    h ^= k; h = rotl<u32>(h, 13); h = h * 5 + 0xe6546b64;
  }
  h ^= SIZE; h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
  return h;
}

function fnv64(seed: u64): u64 {
  let h: u64 = 0xcbf29ce484222325 ^ seed;
  const words = changetype<usize>(buffer);
  for (let i: usize = 0; i < <usize>SIZE; i += 8) {
    h ^= load<u64>(words + i);
    h *= 0x100000001b3;
  }
  return h;
}

export function run(n: i32): i32 {
  let result: u32 = 0;
  for (let round = 0; round < n; round++) {
    fill(<u32>round * 2654435761);
    const wide = fnv64(<u64>result);
    result = murmur(result) ^ <u32>wide ^ <u32>(wide >> 32);
  }
  return <i32>result;
}
