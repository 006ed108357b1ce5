// Memory: multiplies two n×n f64 matrices (row-major, i-k-j order so that
// the inner loop streams through memory). Returns the trace of the product.

export function run(n: i32): f64 {
  const size = n * n;
  const a = new StaticArray<f64>(size), b = new StaticArray<f64>(size), c = new StaticArray<f64>(size);
  for (let i = 0; i < size; i++) {
    unchecked(a[i] = <f64>(i % 17) * 0.25 - 1.0);
    unchecked(b[i] = <f64>(i % 13) * 0.5 + 0.125);
  }
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let k = 0; k < n; k++) {
      const aik = unchecked(a[row + k]);
      const bRow = k * n;
      for (let j = 0; j < n; j++) unchecked(c[row + j] += aik * unchecked(b[bRow + j]));
    }
  }
  let trace = 0.0;
  for (let i = 0; i < n; i++) trace += unchecked(c[i * n + i]);
  return trace;
}
