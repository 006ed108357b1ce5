// Arrays of integers as a heap-ordered priority queue: push, pop, sift.
class Heap {
  items: Array<i32> = new Array<i32>();
  push(v: i32): void {
    const a = this.items; a.push(v);
    let i = a.length - 1;
    while (i > 0) { const p = (i - 1) >> 1; if (a[p] <= a[i]) break; const t = a[p]; a[p] = a[i]; a[i] = t; i = p; }
  }
  pop(): i32 {
    const a = this.items; const top = a[0]; const last = a.pop();
    if (a.length > 0) {
      a[0] = last; let i = 0; const n = a.length;
      while (true) { const l = 2 * i + 1, r = l + 1; let m = i;
        if (l < n && a[l] < a[m]) m = l; if (r < n && a[r] < a[m]) m = r;
        if (m == i) break; const t = a[m]; a[m] = a[i]; a[i] = t; i = m; }
    }
    return top;
  }
}
export function run(n: i32): i32 {
  const h = new Heap();
  let x: u32 = 1; let sum = 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    h.push(<i32>(x & 0xfffff));
    if ((i & 3) == 3) sum += h.pop();
  }
  while (h.items.length > 0) sum ^= h.pop();
  return sum;
}
