// Float and calls: the spectral norm of the infinite matrix
// A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1), truncated to n×n, by ten
// power-method iterations. Returns the norm.

function a(i: i32, j: i32): f64 {
  return 1.0 / <f64>(((i + j) * (i + j + 1) >> 1) + i + 1);
}

function multiplyAv(n: i32, v: StaticArray<f64>, out: StaticArray<f64>): void {
  for (let i = 0; i < n; i++) {
    let sum = 0.0;
    for (let j = 0; j < n; j++) sum += a(i, j) * unchecked(v[j]);
    unchecked(out[i] = sum);
  }
}

function multiplyAtv(n: i32, v: StaticArray<f64>, out: StaticArray<f64>): void {
  for (let i = 0; i < n; i++) {
    let sum = 0.0;
    for (let j = 0; j < n; j++) sum += a(j, i) * unchecked(v[j]);
    unchecked(out[i] = sum);
  }
}

function multiplyAtAv(n: i32, v: StaticArray<f64>, out: StaticArray<f64>, scratch: StaticArray<f64>): void {
  multiplyAv(n, v, scratch);
  multiplyAtv(n, scratch, out);
}

export function run(n: i32): f64 {
  const u = new StaticArray<f64>(n), v = new StaticArray<f64>(n), scratch = new StaticArray<f64>(n);
  for (let i = 0; i < n; i++) u[i] = 1.0;
  for (let i = 0; i < 10; i++) {
    multiplyAtAv(n, u, v, scratch);
    multiplyAtAv(n, v, u, scratch);
  }
  let vBv = 0.0, vv = 0.0;
  for (let i = 0; i < n; i++) { vBv += u[i] * v[i]; vv += v[i] * v[i]; }
  return Math.sqrt(vBv / vv);
}
