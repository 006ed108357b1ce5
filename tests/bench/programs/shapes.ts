// Virtual dispatch: an abstract class with overridden methods over a mixed array.
abstract class Shape { abstract area(): f64; abstract grow(k: f64): void; id: i32 = 0; }
class Circle extends Shape { constructor(public r: f64) { super(); } area(): f64 { return 3.14159 * this.r * this.r; } grow(k: f64): void { this.r *= k; } }
class Rect extends Shape { constructor(public w: f64, public h: f64) { super(); } area(): f64 { return this.w * this.h; } grow(k: f64): void { this.w *= k; this.h *= k; } }
class Tri extends Shape { constructor(public b: f64, public h: f64) { super(); } area(): f64 { return 0.5 * this.b * this.h; } grow(k: f64): void { this.b *= k; } }
export function run(n: i32): i32 {
  const shapes = new Array<Shape>();
  for (let i = 0; i < 1000; i++) {
    const k = i % 3;
    const s: Shape = k == 0 ? new Circle(1 + <f64>(i % 7)) : k == 1 ? new Rect(<f64>(i % 5) + 1, 2) : new Tri(3, <f64>(i % 11) + 1);
    s.id = i; shapes.push(s);
  }
  let total = 0.0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < shapes.length; i++) {
      const s = shapes[i];
      total += s.area();
      s.grow((r & 1) == 0 ? 1.001 : 0.999);
    }
  }
  return <i32>(total / 1000.0);
}
