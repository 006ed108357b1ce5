// LZ4 block compression (the block format of lz4's doc/lz4_Block_format.md),
// shared by the host's image writer (sdk/image, which compresses payload
// files) and the kernel (kernel/component/payload.ts, which expands them).
// LZ4 was chosen over deflate because its decoder is a loop of two copies
// with no tables or bit reading: small in the kernel and fast under TCG,
// where every guest instruction counts at boot.
//
// A block is a series of sequences:
//
//   token (literal length << 4 | match length - 4)
//   [literal length - 15 as 255, 255, ..., < 255]   when the nibble is 15
//   literals
//   offset (u16 little-endian, 1..65535)             absent in the last sequence
//   [match length - 19 as 255, ..., < 255]            when the nibble is 15
//
// The last sequence holds only literals; as the format asks, the last 5
// bytes are always literals and no match starts within the last 12 bytes.
// The encoder finds matches with a hash table of 4-byte prefixes and a
// chain per bucket, and chooses among them with an optimal parse
// (lz4Compress); its output is not byte-compatible with lz4's own, but any
// LZ4 decoder reads it.
//
// Both directions work on raw addresses so that the kernel can expand
// straight from its copy into the final buffer.

const MIN_MATCH: i32 = 4;
const LAST_LITERALS: i32 = 5;
const MATCH_LIMIT: i32 = 12;
const MAX_OFFSET: i32 = 65535;
const HASH_BITS: i32 = 15;
/** Earlier positions tried per hash bucket: more finds longer matches, slower. */
const CHAIN_DEPTH: i32 = 4096;
/**
 * A match at least this long carries over to the next position (one
 * shorter, the same distance) without a search. In repetitive input every
 * position's longest match runs to the end of the repetition, and finding
 * it afresh at each position made compressing a file with a short period
 * quadratic (900 KB took minutes).
 */
const CARRIED_MATCH: i32 = 64;
/** Match lengths past the minimum the parse prices one by one; a longer match is priced only whole. */
const SHORT_LENGTHS: i32 = 32;

/** The most bytes compressing `length` bytes can take (incompressible input grows a little). */
export function lz4Bound(length: i32): i32 {
  return length + length / 255 + 16;
}

// @ts-ignore: decorator
@inline function hash4(value: u32): i32 {
  return <i32>((value * 2654435761) >>> (32 - HASH_BITS));
}

/** Writes a length's continuation bytes (after a nibble of 15) at `out`; the address after them. */
function putLength(out: usize, rest: i32): usize {
  while (rest >= 255) { store<u8>(out++, 255); rest -= 255; }
  store<u8>(out++, <u8>rest);
  return out;
}

/** The bytes a length's continuation takes past its nibble: none below 15. */
// @ts-ignore: decorator
@inline function lengthBytes(value: i32): i32 {
  return value < 15 ? 0 : 1 + (value - 15) / 255;
}

/**
 * Compresses `length` bytes at `source` into `target`, which must hold
 * lz4Bound(length) bytes: the compressed length.
 *
 * The parse is optimal for the longest match found at each position: a
 * first pass finds, through the hash chains, the longest earlier match at
 * every position (inside a long match, the one it carries over: above); a
 * second pass, from the end backwards, prices each position as the
 * cheapest of a literal there (one byte) and a match of any length up to
 * the one found (a token, the offset and its length's
 * continuation bytes), so a short match that would hide a longer one just
 * after it is not taken. The image writer compresses once per image and
 * the kernel expands at every boot, so compressing slowly for fewer bytes
 * is the right trade.
 */
export function lz4Compress(source: usize, length: i32, target: usize): i32 {
  let out = target;
  let anchor = 0;
  if (length > MATCH_LIMIT) {
    const matchEnd = length - MATCH_LIMIT;
    const limit = length - LAST_LITERALS;
    // Longest match at each position: its length (0 for none) and its distance back.
    const longest = new StaticArray<i32>(matchEnd);
    const distance = new StaticArray<u16>(matchEnd);
    // head[h]: the latest position + 1 with hash h; previous[p & mask]: the one before p in its chain.
    const head = new StaticArray<i32>(1 << HASH_BITS);
    const previous = new StaticArray<i32>(65536);
    for (let at = 0; at < matchEnd; at++) {
      const value = load<u32>(source + <usize>at);
      const h = hash4(value);
      let candidate = unchecked(head[h]) - 1;
      unchecked(previous[at & 0xffff] = candidate);
      unchecked(head[h] = at + 1);
      if (at > 0 && unchecked(longest[at - 1]) > CARRIED_MATCH) {
        unchecked(longest[at] = unchecked(longest[at - 1]) - 1);
        unchecked(distance[at] = unchecked(distance[at - 1]));
        continue;
      }
      let bestLength = 0, bestStart = 0;
      for (let depth = 0; depth < CHAIN_DEPTH && candidate >= 0 && at - candidate <= MAX_OFFSET; depth++) {
        if (load<u32>(source + <usize>candidate) == value) {
          let matched = MIN_MATCH;
          while (at + matched < limit && load<u8>(source + <usize>(candidate + matched)) == load<u8>(source + <usize>(at + matched))) matched++;
          if (matched > bestLength) { bestLength = matched; bestStart = candidate; }
          if (at + matched >= limit) break;
        }
        const next = unchecked(previous[candidate & 0xffff]);
        if (next >= candidate) break;
        candidate = next;
      }
      if (bestLength >= MIN_MATCH) {
        unchecked(longest[at] = bestLength);
        unchecked(distance[at] = <u16>(at - bestStart));
      }
    }
    // cost[p]: the fewest bytes for everything from p on (its literal run's
    // continuation bytes aside); taken[p]: the match length chosen at p, 0 for a literal.
    const cost = new StaticArray<i32>(length + 1);
    const taken = new StaticArray<i32>(matchEnd);
    for (let at = length - 1; at >= 0; at--) {
      let best = unchecked(cost[at + 1]) + 1;
      let bestTaken = 0;
      if (at < matchEnd) {
        const found = unchecked(longest[at]);
        if (found >= MIN_MATCH) {
          // Every length up to SHORT_LENGTHS past the minimum, and the longest:
          // a long run's every length would make the pass quadratic.
          const top = min(found, MIN_MATCH + SHORT_LENGTHS);
          for (let matched = MIN_MATCH; matched <= top; matched++) {
            const price = 3 + lengthBytes(matched - MIN_MATCH) + unchecked(cost[at + matched]);
            if (price < best) { best = price; bestTaken = matched; }
          }
          if (found > top) {
            const price = 3 + lengthBytes(found - MIN_MATCH) + unchecked(cost[at + found]);
            if (price < best) { best = price; bestTaken = found; }
          }
        }
        unchecked(taken[at] = bestTaken);
      }
      unchecked(cost[at] = best);
    }
    let at = 0;
    while (at < matchEnd) {
      const matched = unchecked(taken[at]);
      if (matched == 0) { at++; continue; }
      // Emit the literals since the anchor and this match.
      const literals = at - anchor;
      const token = out++;
      let tokenValue = (literals >= 15 ? 15 : literals) << 4;
      if (literals >= 15) out = putLength(out, literals - 15);
      memory.copy(out, source + <usize>anchor, <usize>literals);
      out += <usize>literals;
      store<u16>(out, unchecked(distance[at]));
      out += 2;
      const extra = matched - MIN_MATCH;
      tokenValue |= extra >= 15 ? 15 : extra;
      if (extra >= 15) out = putLength(out, extra - 15);
      store<u8>(token, <u8>tokenValue);
      at += matched;
      anchor = at;
    }
  }
  const literals = length - anchor;
  store<u8>(out++, <u8>((literals >= 15 ? 15 : literals) << 4));
  if (literals >= 15) out = putLength(out, literals - 15);
  memory.copy(out, source + <usize>anchor, <usize>literals);
  out += <usize>literals;
  return <i32>(out - target);
}

/** Where the continuation bytes readLength read end. */
let lengthEnd: i32 = 0;

/**
 * A length whose nibble was 15: `value` plus the continuation bytes from
 * `at` (255 each, then one below 255); -1 when they run past `length` or
 * the total passes `limit`. lengthEnd says where they end.
 */
function readLength(source: usize, at: i32, length: i32, value: i32, limit: i32): i32 {
  while (true) {
    if (at >= length) return -1;
    const byte = <i32>load<u8>(source + <usize>at);
    at++;
    value += byte;
    if (value > limit) return -1;
    if (byte != 255) break;
  }
  lengthEnd = at;
  return value;
}

/**
 * Expands the block of `length` bytes at `source` into exactly `expected`
 * bytes at `target`: true when it did; false for a malformed block (a
 * length or offset out of range, or output of another size). Reads and
 * writes nothing outside the two ranges, whatever the block holds.
 */
export function lz4Expand(source: usize, length: i32, target: usize, expected: i32): bool {
  let at: i32 = 0;
  let out: i32 = 0;
  while (at < length) {
    const token = <i32>load<u8>(source + <usize>at);
    at++;
    let literals = token >>> 4;
    if (literals == 15) {
      literals = readLength(source, at, length, literals, expected);
      if (literals < 0) return false;
      at = lengthEnd;
    }
    if (literals > length - at || literals > expected - out) return false;
    memory.copy(target + <usize>out, source + <usize>at, <usize>literals);
    at += literals;
    out += literals;
    if (at == length) break;
    if (length - at < 2) return false;
    const offset = <i32>load<u16>(source + <usize>at);
    at += 2;
    if (offset == 0 || offset > out) return false;
    let matched = (token & 15) + MIN_MATCH;
    if ((token & 15) == 15) {
      matched = readLength(source, at, length, matched, expected);
      if (matched < 0) return false;
      at = lengthEnd;
    }
    if (matched > expected - out) return false;
    const from = target + <usize>(out - offset);
    const to = target + <usize>out;
    if (offset >= matched) {
      memory.copy(to, from, <usize>matched);
    } else if (offset == 1) {
      memory.fill(to, load<u8>(from), <usize>matched);
    } else {
      // An overlapping match repeats the last `offset` bytes: copy forwards, byte by byte.
      for (let i = 0; i < matched; i++) store<u8>(to + <usize>i, load<u8>(from + <usize>i));
    }
    out += matched;
  }
  return out == expected;
}
