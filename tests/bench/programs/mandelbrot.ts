// Float: escape-time iteration over an n×n grid of the Mandelbrot set's
// bounding box, at most 50 iterations a point. Returns the total number of
// iterations, which depends on every float operation being exact.

export function run(n: i32): i32 {
  let total = 0;
  const scale = 2.0 / <f64>n;
  for (let row = 0; row < n; row++) {
    const ci = <f64>row * scale - 1.0;
    for (let column = 0; column < n; column++) {
      const cr = <f64>column * scale - 1.5;
      let zr = 0.0, zi = 0.0, iteration = 0;
      while (iteration < 50) {
        const zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) break;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        iteration++;
      }
      total += iteration;
    }
  }
  return total;
}
