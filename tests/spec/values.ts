// WebAssembly values as the harnesses see them: a type and the raw bits.
// Floats are compared as bit patterns, never as JavaScript numbers, so that
// NaN payloads and signed zeros survive. Also the spec's two NaN classes.

import { formatSpec, type Value, type ValueType } from "../../sdk/host/script";

export type { Value };
export type NumberType = ValueType;

/** What an assertion expects of one result: exact bits or a class of NaNs. */
export type Expected = Value | { type: "f32" | "f64"; nan: "canonical" | "arithmetic" };

const widths: Record<NumberType, bigint> = { i32: 32n, i64: 64n, f32: 32n, f64: 64n };

export function mask(type: NumberType, bits: bigint): bigint {
  return BigInt.asUintN(Number(widths[type]), bits);
}

/** A value of wast2json's JSON (`{"type": "f32", "value": "2143289344"}`). */
export function fromJson(json: { type: string; value?: string }): Expected {
  const type = json.type as NumberType;
  if (!(type in widths)) throw new Error(`unsupported value type ${json.type}`);
  if (json.value === "nan:canonical" || json.value === "nan:arithmetic") {
    return { type: type as "f32" | "f64", nan: json.value === "nan:canonical" ? "canonical" : "arithmetic" };
  }
  return { type, bits: mask(type, BigInt(json.value ?? "0")) };
}

const layout = {
  f32: { exponent: 0x7f800000n, fraction: 0x007fffffn, quiet: 0x00400000n },
  f64: { exponent: 0x7ff0000000000000n, fraction: 0x000fffffffffffffn, quiet: 0x0008000000000000n },
};

export function isNan(value: Value): boolean {
  if (value.type !== "f32" && value.type !== "f64") return false;
  const { exponent, fraction } = layout[value.type];
  return (value.bits & exponent) === exponent && (value.bits & fraction) !== 0n;
}

/**
 * Does `actual` satisfy `expected`? Canonical NaN: the quiet bit alone in the
 * fraction (either sign); arithmetic NaN: the quiet bit set, any payload.
 */
export function matches(expected: Expected, actual: Value): boolean {
  if (expected.type !== actual.type) return false;
  if ("bits" in expected) return mask(expected.type, expected.bits) === mask(actual.type, actual.bits);
  const { exponent, fraction, quiet } = layout[expected.type];
  if ((actual.bits & exponent) !== exponent) return false;
  const payload = actual.bits & fraction;
  return expected.nan === "canonical" ? payload === quiet : (payload & quiet) !== 0n;
}

export function describeExpected(expected: Expected): string {
  return "bits" in expected ? formatSpec(expected) : `${expected.type}:nan:${expected.nan}`;
}
