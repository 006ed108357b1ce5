// Allocation: binary trees built and walked (the incremental collector under churn).
class Node { constructor(public left: Node | null, public right: Node | null, public value: i32) {} }
function build(depth: i32, v: i32): Node {
  if (depth == 0) return new Node(null, null, v);
  return new Node(build(depth - 1, v * 2), build(depth - 1, v * 2 + 1), v);
}
function check(node: Node): i32 {
  let s = node.value;
  const l = node.left, r = node.right;
  if (l) s += check(l);
  if (r) s -= check(r);
  return s;
}
export function run(n: i32): i32 {
  let total = 0;
  const keep = build(10, 1);
  for (let i = 0; i < n; i++) total += check(build(8, i));
  return total + check(keep);
}
