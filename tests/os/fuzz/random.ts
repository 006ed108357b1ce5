// A small deterministic generator (splitmix64): the same seed gives the same
// numbers, so a run's seed replays the calls each worker issues.

export class Random {
  constructor(public state: u64) {}

  next(): u64 {
    this.state += 0x9e3779b97f4a7c15;
    let z = this.state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

  /** A number in [0, bound), bound > 0. */
  below(bound: u32): u32 {
    return <u32>((this.next() >> 32) * <u64>bound >> 32);
  }

  /** True with probability 1/n. */
  oneIn(n: u32): bool {
    return this.below(n) == 0;
  }

  u32(): u32 {
    return <u32>(this.next() >> 32);
  }
}

/** A seed for instance `n` of a run seeded `seed`. */
export function mix(seed: u64, n: u64): u64 {
  const random = new Random(seed ^ (n * 0xd1342543de82ef95));
  random.next();
  return random.next();
}
