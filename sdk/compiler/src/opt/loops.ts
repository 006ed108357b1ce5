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
