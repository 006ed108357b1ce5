// Sinking into an edge: a pure operation whose only uses are phi operands
// along one edge out of its block computes a value that the rest of the
// block never needs. AssemblyScript's early returns make such values (a
// `br_if` that carries `length < 8 ? INVALID : TOO_LARGE` out of a block
// computes the select before it tests whether to branch), and the path
// that does not take the edge paid for them. Here they move onto the
// edge: a new block between the branch and its target computes them and
// jumps on, so only the path that takes the edge runs them. Operands that
// nothing else uses go with them (the comparison a select picks by).
//
// Two operations or more (one saves an instruction off one path and may
// cost the other a jump into the new block), never onto a loop's back
// edge, and only edges of a Branch or Switch whose target appears once
// among its targets (a phi tells its edges apart by the order of its
// block's predecessors, so a target reached twice from one block keeps
// its edges as they are). Pure operations cannot trap, so computing one
// on fewer paths changes nothing else; constants are left where they are,
// costing nothing until a use.

import { IrFunction, IrOp, NO_TYPE, hasPhis, isPureInst } from "./ir";
import { edgeIndex } from "./intervals";
import { isConstant } from "./regalloc";

/** Moves the values used only along one edge of a branch onto that edge; returns how many moved. */
export function sinkIntoEdges(func: IrFunction): i32 {
  const count = func.insts.length;
  // Per value: how many operands name it, and how many of those are phi operands.
  const uses = new Array<i32>(count).fill(0);
  for (let b = 0; b < func.blocks.length; b++) {
    const insts = func.blocks[b].insts;
    for (let k = 0; k < insts.length; k++) {
      const args = func.insts[insts[k]].args;
      for (let a = 0; a < args.length; a++) uses[args[a]]++;
    }
  }
  // Per value: the uses accounted for by the edge being looked at (its phi operands, or the values sunk with it).
  const covered = new Array<i32>(count).fill(0);
  const sunk = new Array<bool>(count).fill(false);
  let moved = 0;
  const blockCount = func.blocks.length;
  for (let b = 0; b < blockCount; b++) {
    const last = func.last(b);
    if (last < 0) continue;
    const terminator = func.insts[last];
    if (terminator.op != IrOp.Branch && terminator.op != IrOp.Switch) continue;
    for (let t = 0; t < terminator.targets.length; t++) {
      const target = terminator.targets[t];
      // Not onto a back edge: a loop's latch would take a jump more each iteration to run what it ran anyway.
      if (func.blocks[target].loopHeader || !appearsOnce(terminator.targets, target) || !hasPhis(func, target)) continue;
      const edge = edgeIndex(func, b, t);
      if (edge < 0) continue;
      // The edge's phi operands defined in this block.
      const phis = func.blocks[target].insts;
      const touched: i32[] = [];
      for (let k = 0; k < phis.length; k++) {
        const phi = func.insts[phis[k]];
        if (phi.op != IrOp.Phi) break;
        const value = phi.args[edge];
        covered[value]++;
        touched.push(value);
      }
      // Backwards through the block: a value whose uses are all covered goes, and covers its own operands.
      const insts = func.blocks[b].insts;
      const going: i32[] = [];
      for (let k = insts.length - 2; k >= 0; k--) {
        const value = insts[k];
        const inst = func.insts[value];
        if (covered[value] == 0 || covered[value] != uses[value] || !movable(func, value)) continue;
        sunk[value] = true;
        going.push(value);
        for (let a = 0; a < inst.args.length; a++) {
          covered[inst.args[a]]++;
          touched.push(inst.args[a]);
        }
      }
      for (let i = 0; i < touched.length; i++) covered[touched[i]] = 0;
      // One operation saves one instruction off the edge and may cost the edge a jump to its new block: two or more.
      if (going.length < 2) {
        for (let i = 0; i < going.length; i++) sunk[going[i]] = false;
        continue;
      }
      // The new block on the edge: the values in their order, then the jump on.
      const block = func.newBlock();
      func.blocks[block].preds.push(b);
      let kept = 0;
      for (let k = 0; k < insts.length; k++) {
        const value = insts[k];
        if (sunk[value]) {
          sunk[value] = false;
          func.insts[value].block = block;
          func.blocks[block].insts.push(value);
        } else {
          insts[kept++] = value;
        }
      }
      insts.length = kept;
      const jump = func.add(block, IrOp.Jump, NO_TYPE);
      func.insts[jump].targets.push(target);
      terminator.targets[t] = block;
      func.blocks[target].preds[edge] = block;
      moved += going.length;
    }
  }
  return moved;
}

/** Whether `value` may move onto an edge: pure, no phi, and not a constant (which costs nothing where it is). */
function movable(func: IrFunction, value: i32): bool {
  const inst = func.insts[value];
  if (inst.op == IrOp.Phi || isConstant(inst.op)) return false;
  return isPureInst(func, inst);
}

function appearsOnce(targets: i32[], target: i32): bool {
  let seen = 0;
  for (let k = 0; k < targets.length; k++) if (targets[k] == target) seen++;
  return seen == 1;
}
