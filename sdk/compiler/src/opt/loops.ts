// Loop nesting depth of each block, for the register allocator's spill
// weights (regalloc.ts): a use inside a loop runs once per iteration, so a
// value read in an inner loop is worth a register more than one read once.
//
// A back edge is an edge from a block to a block that dominates it (wasm's
// control flow is reducible, so every loop has one header and every cycle a
// back edge). The body of the loop it closes is the header plus every
// block that reaches the edge's source backwards without passing the
// header; each block's depth is the number of loop bodies it lies in.

import { Dominators } from "./dominators";
import { IrFunction } from "./ir";

/** Per block: how many loops contain it (0 outside every loop, -1 when unreachable). */
export function loopDepths(func: IrFunction, dominators: Dominators): i32[] {
  const count = func.blocks.length;
  const depth = new Array<i32>(count).fill(0);
  for (let b = 0; b < count; b++) if (!dominators.reachable(b)) depth[b] = -1;
  const inBody = new Array<i32>(count).fill(-1);
  const work: i32[] = [];
  for (let header = 0; header < count; header++) {
    if (!dominators.reachable(header)) continue;
    const preds = func.blocks[header].preds;
    let isHeader = false;
    // Every back edge into this header adds to the same body: mark it once.
    for (let k = 0; k < preds.length; k++) {
      const source = preds[k];
      if (!dominators.dominates(header, source) || inBody[source] == header) continue;
      if (!isHeader) {
        isHeader = true;
        inBody[header] = header;
        depth[header]++;
      }
      if (inBody[source] == header) continue;
      inBody[source] = header;
      depth[source]++;
      work.push(source);
      while (work.length > 0) {
        const block = work.pop();
        const from = func.blocks[block].preds;
        for (let p = 0; p < from.length; p++) {
          const pred = from[p];
          if (inBody[pred] == header || !dominators.reachable(pred)) continue;
          inBody[pred] = header;
          depth[pred]++;
          work.push(pred);
        }
      }
    }
  }
  return depth;
}

/**
 * The reachable blocks in the order the lowering lays them out: a reverse
 * postorder (every block after its dominators) whose depth-first search
 * takes, from a block in a loop, the successors that leave the loop before
 * the ones that stay in it. The ones taken last come first after the block,
 * so each loop's body follows its header without the code after the loop
 * in between: a plain reverse postorder put the exit of a `loop { if ... }`
 * loop right after the header and the body at the end of the function,
 * which cost two extra jumps per iteration and stretched every value of
 * the loop over whatever lay between, calls included (so into memory).
 */
export function loopOrder(func: IrFunction, dominators: Dominators): i32[] {
  const count = func.blocks.length;
  // Per block: the header of the innermost loop holding it (a header is its
  // own), -1 outside loops; per header: the header of the loop around it.
  const loopOf = new Array<i32>(count).fill(-1);
  const outer = new Array<i32>(count).fill(-1);
  const rpo = dominators.rpo;
  const work: i32[] = [];
  // Outer headers come first in reverse postorder, so inner loops mark their blocks last.
  for (let o = 0; o < rpo.length; o++) {
    const header = rpo[o];
    const preds = func.blocks[header].preds;
    for (let k = 0; k < preds.length; k++) {
      const source = preds[k];
      if (!dominators.dominates(header, source)) continue;
      if (loopOf[header] != header) {
        outer[header] = loopOf[header];
        loopOf[header] = header;
      }
      if (loopOf[source] == header) continue;
      loopOf[source] = header;
      work.push(source);
      while (work.length > 0) {
        const from = func.blocks[work.pop()].preds;
        for (let p = 0; p < from.length; p++) {
          const pred = from[p];
          if (loopOf[pred] == header || !dominators.reachable(pred)) continue;
          loopOf[pred] = header;
          work.push(pred);
        }
      }
    }
  }
  const visited = new Array<bool>(count).fill(false);
  const postorder: i32[] = [];
  const stack: i32[] = [0];
  const successors: i32[][] = [orderedSuccessors(func, 0, loopOf, outer)];
  const next: i32[] = [0];
  visited[0] = true;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const targets = successors[top];
    if (next[top] < targets.length) {
      const target = targets[next[top]++];
      if (!visited[target]) {
        visited[target] = true;
        stack.push(target);
        successors.push(orderedSuccessors(func, target, loopOf, outer));
        next.push(0);
      }
      continue;
    }
    postorder.push(stack.pop());
    successors.pop();
    next.pop();
  }
  postorder.reverse();
  return postorder;
}

/** The successors of `block`: first those outside its innermost loop, then those in it. */
function orderedSuccessors(func: IrFunction, block: i32, loopOf: i32[], outer: i32[]): i32[] {
  const targets = func.insts[func.last(block)].targets;
  const loop = loopOf[block];
  if (loop < 0) return targets;
  const leaving: i32[] = [];
  const staying: i32[] = [];
  for (let t = 0; t < targets.length; t++) {
    let l = loopOf[targets[t]];
    while (l >= 0 && l != loop) l = outer[l];
    if (l == loop) staying.push(targets[t]);
    else leaving.push(targets[t]);
  }
  return leaving.concat(staying);
}
