// Dominators of a function's blocks (Cooper, Harvey and Kennedy, "A Simple,
// Fast Dominance Algorithm"): the immediate dominator of each block, found
// by iterating over the blocks in reverse postorder until nothing changes.
// wasm's structured control flow makes the graph reducible, so two or three
// rounds suffice. Used by the verifier, and by the passes that move code.

import { IrFunction } from "./ir";

export class Dominators {
  /** Immediate dominator of each block; the entry's is itself, -1 when unreachable. */
  idom: i32[];
  /** Reverse postorder number of each block, -1 when unreachable. */
  order: i32[];
  /** The reachable blocks in reverse postorder. */
  rpo: i32[] = [];

  constructor(func: IrFunction) {
    const count = func.blocks.length;
    this.idom = new Array<i32>(count).fill(-1);
    this.order = new Array<i32>(count).fill(-1);
    this.computeOrder(func);
    const rpo = this.rpo;
    const idom = this.idom;
    // The entry is always reached (computeOrder starts there).
    idom[0] = 0;
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = 1; i < rpo.length; i++) {
        const block = rpo[i];
        const preds = func.blocks[block].preds;
        let dom = -1;
        for (let k = 0; k < preds.length; k++) {
          const pred = preds[k];
          if (idom[pred] < 0) continue; // not processed yet (a back edge)
          dom = dom < 0 ? pred : this.intersect(pred, dom);
        }
        if (dom >= 0 && idom[block] != dom) {
          idom[block] = dom;
          changed = true;
        }
      }
    }
  }

  /** Postorder by an explicit stack (deep nesting must not overflow the native stack), then reversed. */
  computeOrder(func: IrFunction): void {
    const count = func.blocks.length;
    const visited = new Array<bool>(count).fill(false);
    const postorder: i32[] = [];
    const stack: i32[] = [0];
    const next: i32[] = [0];
    visited[0] = true;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const block = stack[top];
      const targets = func.insts[func.last(block)].targets;
      if (next[top] < targets.length) {
        const target = targets[next[top]++];
        if (!visited[target]) {
          visited[target] = true;
          stack.push(target);
          next.push(0);
        }
        continue;
      }
      postorder.push(block);
      stack.pop();
      next.pop();
    }
    for (let i = postorder.length - 1; i >= 0; i--) {
      this.order[postorder[i]] = this.rpo.length;
      this.rpo.push(postorder[i]);
    }
  }

  intersect(a: i32, b: i32): i32 {
    const order = this.order;
    const idom = this.idom;
    while (a != b) {
      while (order[a] > order[b]) a = idom[a];
      while (order[b] > order[a]) b = idom[b];
    }
    return a;
  }

  reachable(block: i32): bool {
    return this.order[block] >= 0;
  }

  /** Whether block `a` dominates block `b` (every block dominates itself). */
  dominates(a: i32, b: i32): bool {
    if (!this.reachable(a) || !this.reachable(b)) return false;
    const idom = this.idom;
    const order = this.order;
    // Walking up from b, dominators have ever smaller reverse postorder numbers.
    while (order[b] > order[a]) b = idom[b];
    return a == b;
  }
}
