// Arguments for calling a fuzz module's exports: drawn from the seeded
// generator, mixing edge values (zero, ±1, extremes, infinities, -0) with
// random bits. Never a NaN: the modules are de-NaN-ed, and a NaN argument's
// payload would be the one thing the spec lets engines treat differently.

import type { Value } from "../spec/values";
import { Random } from "./random";

const edges: Record<Value["type"], bigint[]> = {
  i32: [0n, 1n, 0xffffffffn, 0x7fffffffn, 0x80000000n, 2n, 8n, 0xfffffff0n],
  i64: [0n, 1n, 0xffffffffffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffn, 0x100000000n],
  f32: [0n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x7f800000n, 0xff800000n, 0x4f000000n, 0x7f7fffffn, 0x00000001n],
  f64: [0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x41e0000000000000n, 0x0000000000000001n],
};

function randomBits(random: Random, type: Value["type"]): bigint {
  const low = BigInt(random.next());
  const wide = type === "i64" || type === "f64";
  let bits = wide ? (BigInt(random.next()) << 32n) | low : low;
  // Small magnitudes are the common case for indices and counts.
  if ((type === "i32" || type === "i64") && random.below(2) === 0) bits &= 0xffffn;
  if (type === "f32" && (bits & 0x7f800000n) === 0x7f800000n) bits &= 0xff800000n;
  if (type === "f64" && (bits & 0x7ff0000000000000n) === 0x7ff0000000000000n) bits &= 0xfff0000000000000n;
  return bits;
}

export function fuzzArguments(random: Random, params: Value["type"][]): Value[] {
  return params.map((type) => ({ type, bits: random.below(3) === 0 ? random.pick(edges[type]) : randomBits(random, type) }));
}
