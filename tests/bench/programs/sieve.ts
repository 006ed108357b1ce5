// Integer: the sieve of Eratosthenes over [2, n], repeated over a reused
// byte array. Returns the number of primes found.

let flags = new StaticArray<u8>(0);

export function run(n: i32): i32 {
  if (flags.length < n + 1) flags = new StaticArray<u8>(n + 1);
  memory.fill(changetype<usize>(flags), 0, <usize>(n + 1));
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (unchecked(flags[i]) == 0) {
      count++;
      for (let j = <i64>i * i; j <= <i64>n; j += i) unchecked(flags[<i32>j] = 1);
    }
  }
  return count;
}
