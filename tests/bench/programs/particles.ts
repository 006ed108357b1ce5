// Float code on class fields: particles with methods, a vector class.
class Vec { constructor(public x: f64, public y: f64, public z: f64) {}
  add(o: Vec): void { this.x += o.x; this.y += o.y; this.z += o.z; }
  scale(s: f64): void { this.x *= s; this.y *= s; this.z *= s; }
  dot(o: Vec): f64 { return this.x * o.x + this.y * o.y + this.z * o.z; }
}
class Particle {
  pos: Vec; vel: Vec; mass: f64;
  constructor(i: i32) { this.pos = new Vec(<f64>i, <f64>(i * 2 % 7), <f64>(i % 3)); this.vel = new Vec(0.5, -0.25, 0.125 * <f64>(i & 3)); this.mass = 1.0 + <f64>(i % 5); }
  step(dt: f64, g: Vec): void {
    const a = new Vec(g.x / this.mass, g.y / this.mass, g.z / this.mass);
    a.scale(dt); this.vel.add(a);
    this.pos.x += this.vel.x * dt; this.pos.y += this.vel.y * dt; this.pos.z += this.vel.z * dt;
    if (this.pos.y < 0) { this.pos.y = -this.pos.y; this.vel.y = -this.vel.y * 0.9; }
  }
}
export function run(n: i32): i32 {
  const ps = new Array<Particle>();
  for (let i = 0; i < 256; i++) ps.push(new Particle(i));
  const g = new Vec(0.01, -9.81, 0.0);
  let e = 0.0;
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < ps.length; i++) ps[i].step(0.001, g);
  }
  for (let i = 0; i < ps.length; i++) e += ps[i].vel.dot(ps[i].vel) * ps[i].mass + ps[i].pos.y;
  return <i32>(e * 1000.0);
}
