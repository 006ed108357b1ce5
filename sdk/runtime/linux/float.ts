// Floats as the shortest decimal that reads back to the same value, laid out
// as JavaScript's Number#toString does (so host tools can compare): "1.5",
// "1e+21", "1.5e-7", "0.000001", plus "nan", "inf", "-inf" and "-0".
//
// The digits come from the free-format algorithm of Steele & White as
// refined by Burger & Dybvig ("Printing floating-point numbers quickly and
// accurately", 1996), with exact big-integer arithmetic: slower than Ryu or
// Grisu but short, provably shortest and correctly rounded for f32 and f64
// alike. Plain output prints a handful of values, so speed does not matter.

/** Enough 32-bit words for the largest scaled f64 numerator or denominator (about 1100 bits). */
const WORDS = 40;

/** A fixed-size unsigned big integer, little-endian 32-bit words. */
class Big {
  words: StaticArray<u32> = new StaticArray<u32>(WORDS);

  static of(value: u64): Big {
    const big = new Big();
    big.words[0] = <u32>value;
    big.words[1] = <u32>(value >> 32);
    return big;
  }

  copy(): Big {
    const big = new Big();
    for (let i = 0; i < WORDS; i++) big.words[i] = this.words[i];
    return big;
  }

  shiftLeft(bits: i32): Big {
    const wordShift = bits >> 5;
    const bitShift = bits & 31;
    for (let i = WORDS - 1; i >= 0; i--) {
      const from = i - wordShift;
      let value: u32 = 0;
      if (from >= 0) {
        value = this.words[from] << bitShift;
        if (bitShift != 0 && from > 0) value |= this.words[from - 1] >> (32 - bitShift);
      }
      this.words[i] = value;
    }
    return this;
  }

  multiplySmall(factor: u32): Big {
    let carry: u64 = 0;
    for (let i = 0; i < WORDS; i++) {
      const product = <u64>this.words[i] * <u64>factor + carry;
      this.words[i] = <u32>product;
      carry = product >> 32;
    }
    return this;
  }

  multiplyPow10(exponent: i32): Big {
    while (exponent >= 9) { this.multiplySmall(1000000000); exponent -= 9; }
    let factor: u32 = 1;
    while (exponent-- > 0) factor *= 10;
    return this.multiplySmall(factor);
  }

  add(other: Big): Big {
    let carry: u64 = 0;
    for (let i = 0; i < WORDS; i++) {
      const sum = <u64>this.words[i] + <u64>other.words[i] + carry;
      this.words[i] = <u32>sum;
      carry = sum >> 32;
    }
    return this;
  }

  subtract(other: Big): Big {
    let borrow: i64 = 0;
    for (let i = 0; i < WORDS; i++) {
      const difference = <i64>this.words[i] - <i64>other.words[i] - borrow;
      this.words[i] = <u32>difference;
      borrow = difference < 0 ? 1 : 0;
    }
    return this;
  }

  compare(other: Big): i32 {
    for (let i = WORDS - 1; i >= 0; i--) {
      const a = this.words[i];
      const b = other.words[i];
      if (a != b) return a < b ? -1 : 1;
    }
    return 0;
  }
}

/** compare(a + b, c) without changing a. */
function compareSum(a: Big, b: Big, c: Big): i32 {
  return a.copy().add(b).compare(c);
}

/** Shortest digits of a positive finite float, and the decimal point position. */
class Digits {
  digits: u8[] = [];
  /** value = 0.DIGITS x 10^point */
  point: i32 = 0;
}

/**
 * mantissa x 2^exponent, with `precision` mantissa bits (53 or 24) and the
 * smallest exponent of the format (for subnormals).
 */
function shortest(mantissa: u64, exponent: i32, precision: i32, minExponent: i32): Digits {
  const even = (mantissa & 1) == 0;
  const hidden: u64 = <u64>1 << <u64>(precision - 1);
  let r: Big, s: Big, mPlus: Big, mMinus: Big;
  if (exponent >= 0) {
    if (mantissa != hidden) {
      r = Big.of(mantissa).shiftLeft(exponent + 1);
      s = Big.of(2);
      mPlus = Big.of(1).shiftLeft(exponent);
      mMinus = Big.of(1).shiftLeft(exponent);
    } else {
      r = Big.of(mantissa).shiftLeft(exponent + 2);
      s = Big.of(4);
      mPlus = Big.of(1).shiftLeft(exponent + 1);
      mMinus = Big.of(1).shiftLeft(exponent);
    }
  } else if (exponent == minExponent || mantissa != hidden) {
    r = Big.of(mantissa).shiftLeft(1);
    s = Big.of(1).shiftLeft(1 - exponent);
    mPlus = Big.of(1);
    mMinus = Big.of(1);
  } else {
    r = Big.of(mantissa).shiftLeft(2);
    s = Big.of(1).shiftLeft(2 - exponent);
    mPlus = Big.of(2);
    mMinus = Big.of(1);
  }
  // k estimated from the bit length, never above the true value; one fixup at most.
  const bits = 64 - <i32>clz(mantissa);
  let k = <i32>Math.ceil(<f64>(exponent + bits - 1) * 0.30102999566398114 - 1e-10);
  if (k >= 0) s.multiplyPow10(k);
  else {
    r.multiplyPow10(-k);
    mPlus.multiplyPow10(-k);
    mMinus.multiplyPow10(-k);
  }
  const high = compareSum(r, mPlus, s);
  if (even ? high >= 0 : high > 0) {
    s.multiplySmall(10);
    k++;
  }
  const result = new Digits();
  result.point = k;
  while (true) {
    r.multiplySmall(10);
    mPlus.multiplySmall(10);
    mMinus.multiplySmall(10);
    let digit: u8 = 0;
    while (r.compare(s) >= 0) { r.subtract(s); digit++; }
    const low = r.compare(mMinus);
    const lowDone = even ? low <= 0 : low < 0;
    const up = compareSum(r, mPlus, s);
    const highDone = even ? up >= 0 : up > 0;
    if (!lowDone && !highDone) { result.digits.push(digit); continue; }
    if (lowDone && highDone) {
      // Both candidates read back correctly: the nearer, the even one on a tie.
      const twice = r.copy().shiftLeft(1).compare(s);
      if (twice > 0 || (twice == 0 && (digit & 1) != 0)) digit++;
    } else if (highDone) {
      digit++;
    }
    result.digits.push(digit);
    return result;
  }
}

function layout(negative: bool, found: Digits): string {
  const digits = found.digits;
  const count = digits.length;
  const n = found.point;
  let text = negative ? "-" : "";
  if (count <= n && n <= 21) {
    for (let i = 0; i < count; i++) text += String.fromCharCode(48 + digits[i]);
    for (let i = count; i < n; i++) text += "0";
  } else if (0 < n && n <= 21) {
    for (let i = 0; i < n; i++) text += String.fromCharCode(48 + digits[i]);
    text += ".";
    for (let i = n; i < count; i++) text += String.fromCharCode(48 + digits[i]);
  } else if (-6 < n && n <= 0) {
    text += "0.";
    for (let i = n; i < 0; i++) text += "0";
    for (let i = 0; i < count; i++) text += String.fromCharCode(48 + digits[i]);
  } else {
    text += String.fromCharCode(48 + digits[0]);
    if (count > 1) {
      text += ".";
      for (let i = 1; i < count; i++) text += String.fromCharCode(48 + digits[i]);
    }
    const e = n - 1;
    text += e < 0 ? "e-" : "e+";
    text += (e < 0 ? -e : e).toString();
  }
  return text;
}

/** An f64, given by its bits. */
export function formatF64(bits: u64): string {
  const negative = (bits >> 63) != 0;
  const biased = <i32>((bits >> 52) & 0x7ff);
  const fraction = bits & 0xfffffffffffff;
  if (biased == 0x7ff) return fraction != 0 ? "nan" : negative ? "-inf" : "inf";
  if (biased == 0 && fraction == 0) return negative ? "-0" : "0";
  const mantissa = biased == 0 ? fraction : fraction | (<u64>1 << 52);
  const exponent = (biased == 0 ? 1 : biased) - 1075;
  return layout(negative, shortest(mantissa, exponent, 53, -1074));
}

/** An f32, given by its bits: the shortest decimal that reads back as this f32. */
export function formatF32(bits: u32): string {
  const negative = (bits >> 31) != 0;
  const biased = <i32>((bits >> 23) & 0xff);
  const fraction = <u64>(bits & 0x7fffff);
  if (biased == 0xff) return fraction != 0 ? "nan" : negative ? "-inf" : "inf";
  if (biased == 0 && fraction == 0) return negative ? "-0" : "0";
  const mantissa = biased == 0 ? fraction : fraction | (<u64>1 << 23);
  const exponent = (biased == 0 ? 1 : biased) - 150;
  return layout(negative, shortest(mantissa, exponent, 24, -149));
}
