// Loop-invariant code motion: a pure operation (constants included) inside
// a loop whose operands are all defined outside it computes the same value on every iteration, so
// it moves to the loop's preheader (the one predecessor of the header that
// is not a back edge, when it ends in a plain jump). So does a global.get
// of a global that nothing in the loop can write: no global.set of it and
// no call (a call may write any global). Moved operations are pure or
// reads that cannot trap, so running them when the loop body would not
// have run changes nothing. Inner loops go first, so an invariant climbs
// out of every loop it does not depend on; redundancy elimination, which
// runs next, then merges a moved global.get with a read before the loop.

import { Op } from "../opcodes";
import { Dominators } from "./dominators";
import { IrFunction, IrOp, isPureInst } from "./ir";
import { isCall } from "./intervals";

/** Moves the loop invariants of `func` to their loops' preheaders; returns how many moved. */
export function hoistInvariants(func: IrFunction): i32 {
  const dominators = new Dominators(func);
  const rpo = dominators.rpo;
  const count = func.blocks.length;
  let moved = 0;
  const inBody = new Array<bool>(count).fill(false);
  const work: i32[] = [];
  // Headers in reverse postorder reversed: an inner loop's header comes after its outer loop's.
  for (let o = rpo.length - 1; o >= 0; o--) {
    const header = rpo[o];
    if (!func.blocks[header].loopHeader) continue;
    const preds = func.blocks[header].preds;
    let preheader = -1;
    let entries = 0;
    for (let b = 0; b < count; b++) inBody[b] = false;
    inBody[header] = true;
    for (let k = 0; k < preds.length; k++) {
      const source = preds[k];
      if (!dominators.dominates(header, source)) {
        preheader = source;
        entries++;
        continue;
      }
      if (inBody[source]) continue;
      inBody[source] = true;
      work.push(source);
      while (work.length > 0) {
        const block = work.pop();
        const from = func.blocks[block].preds;
        for (let p = 0; p < from.length; p++) {
          if (inBody[from[p]] || !dominators.reachable(from[p])) continue;
          inBody[from[p]] = true;
          work.push(from[p]);
        }
      }
    }
    if (entries != 1 || entries == preds.length) continue;
    const last = func.last(preheader);
    if (last < 0 || func.insts[last].op != IrOp.Jump) continue;
    moved += hoistFromLoop(func, rpo, inBody, preheader);
  }
  return moved;
}

/** Moves the invariants of the loop whose blocks `inBody` marks to the end of `preheader`. */
function hoistFromLoop(func: IrFunction, rpo: i32[], inBody: bool[], preheader: i32): i32 {
  // What the loop may write: globals set in it, and whether it calls.
  const written = new Set<u32>();
  let calls = false;
  for (let o = 0; o < rpo.length; o++) {
    const block = rpo[o];
    if (!inBody[block]) continue;
    const insts = func.blocks[block].insts;
    for (let k = 0; k < insts.length; k++) {
      const inst = func.insts[insts[k]];
      if (inst.op == Op.GlobalSet) written.add(<u32>inst.imm);
      else if (isCall(inst.op)) calls = true;
    }
  }
  const hoisted: i32[] = [];
  for (let o = 0; o < rpo.length; o++) {
    const block = rpo[o];
    if (!inBody[block]) continue;
    const insts = func.blocks[block].insts;
    let kept = 0;
    for (let k = 0; k < insts.length; k++) {
      const value = insts[k];
      const inst = func.insts[value];
      let invariant = false;
      if (inst.op == Op.GlobalGet) invariant = !calls && !written.has(<u32>inst.imm);
      else if (inst.op != IrOp.Phi && isPureInst(func, inst)) {
        invariant = true;
        // Operands in the loop (moved ones now live in the preheader) keep it there.
        for (let a = 0; a < inst.args.length; a++) {
          const from = func.insts[inst.args[a]].block;
          if (from >= 0 && inBody[from]) { invariant = false; break; }
        }
      }
      if (invariant) {
        inst.block = preheader;
        hoisted.push(value);
      } else {
        insts[kept++] = value;
      }
    }
    insts.length = kept;
  }
  if (hoisted.length == 0) return 0;
  // Before the preheader's jump, in the order found (reverse postorder keeps definitions before uses).
  const target = func.blocks[preheader].insts;
  const jump = target.pop();
  for (let i = 0; i < hoisted.length; i++) target.push(hoisted[i]);
  target.push(jump);
  return hoisted.length;
}
