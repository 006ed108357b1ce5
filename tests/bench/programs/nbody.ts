// Float: the n-body simulation of the Jovian planets (the classic benchmark
// game problem), n steps. Returns the energy after the last step.

const SOLAR_MASS = 4.0 * Math.PI * Math.PI;
const DAYS_PER_YEAR = 365.24;
const BODIES = 5;

const x = new StaticArray<f64>(BODIES), y = new StaticArray<f64>(BODIES), z = new StaticArray<f64>(BODIES);
const vx = new StaticArray<f64>(BODIES), vy = new StaticArray<f64>(BODIES), vz = new StaticArray<f64>(BODIES);
const mass = new StaticArray<f64>(BODIES);

function body(i: i32, px: f64, py: f64, pz: f64, pvx: f64, pvy: f64, pvz: f64, m: f64): void {
  x[i] = px; y[i] = py; z[i] = pz;
  vx[i] = pvx * DAYS_PER_YEAR; vy[i] = pvy * DAYS_PER_YEAR; vz[i] = pvz * DAYS_PER_YEAR;
  mass[i] = m * SOLAR_MASS;
}

function reset(): void {
  body(0, 0, 0, 0, 0, 0, 0, 1);
  body(1, 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
    1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04);
  body(2, 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
    -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04);
  body(3, 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
    2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05);
  body(4, 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
    2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05);
  let px = 0.0, py = 0.0, pz = 0.0;
  for (let i = 0; i < BODIES; i++) { px += vx[i] * mass[i]; py += vy[i] * mass[i]; pz += vz[i] * mass[i]; }
  vx[0] = -px / SOLAR_MASS; vy[0] = -py / SOLAR_MASS; vz[0] = -pz / SOLAR_MASS;
}

function advance(dt: f64): void {
  for (let i = 0; i < BODIES; i++) {
    for (let j = i + 1; j < BODIES; j++) {
      const dx = unchecked(x[i]) - unchecked(x[j]), dy = unchecked(y[i]) - unchecked(y[j]), dz = unchecked(z[i]) - unchecked(z[j]);
      const distance2 = dx * dx + dy * dy + dz * dz;
      const magnitude = dt / (distance2 * Math.sqrt(distance2));
      const mi = unchecked(mass[i]) * magnitude, mj = unchecked(mass[j]) * magnitude;
      unchecked(vx[i] -= dx * mj); unchecked(vy[i] -= dy * mj); unchecked(vz[i] -= dz * mj);
      unchecked(vx[j] += dx * mi); unchecked(vy[j] += dy * mi); unchecked(vz[j] += dz * mi);
    }
  }
  for (let i = 0; i < BODIES; i++) {
    unchecked(x[i] += dt * unchecked(vx[i])); unchecked(y[i] += dt * unchecked(vy[i])); unchecked(z[i] += dt * unchecked(vz[i]));
  }
}

function energy(): f64 {
  let e = 0.0;
  for (let i = 0; i < BODIES; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (let j = i + 1; j < BODIES; j++) {
      const dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      e -= mass[i] * mass[j] / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

export function run(n: i32): f64 {
  reset();
  for (let step = 0; step < n; step++) advance(0.01);
  return energy();
}
