// Calls: the Ackermann function A(2, n) and A(3, k) for small k, deeply
// recursive with tiny frames. Returns the sum of the results.

function ackermann(m: i32, n: i32): i32 {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

export function run(n: i32): i32 {
  let sum = 0;
  for (let k = 1; k <= 7; k++) sum += ackermann(3, k);
  for (let i = 0; i < n; i++) sum += ackermann(2, i & 255);
  return sum;
}
