// What the parts of the kernel link share: the boot stub being assembled
// (the kernel is linked into the same program, so stubs, kernel code and
// data reach each other by label), the kernel component, and the labels of
// everything the link places. Labels of data fields are derived from the
// block they live in and bound when the program is laid out.

import { Label } from "../../../../sdk/compiler/src/x64/assembler";
import { CompiledComponent } from "../../../../sdk/loader/component";
import { StubContext } from "../boot/context";
import { FAST_PATH_COUNT, FS_BASE_SITE_COUNT } from "../link-info";

export class KernelLink {
  readonly c: StubContext;
  readonly component: CompiledComponent;

  /** The kernel's code blob in .text, and each function's entry inside it (created on demand). */
  code: Label = -1;
  private readonly functionLabels: Map<u32, Label> = new Map();

  // Data in .kdata (derived labels of one block).
  linkInfo: Label = -1;
  services: Label = -1;
  memoryObject: Label = -1;
  tableObject: Label = -1;
  vmctx: Label = -1;
  vectorThreadBlocks: Label = -1;
  mainThreadBlock: Label = -1;
  /** The native fast paths' records (link-info.ts, FAST_PATH_*). */
  fastPaths: Label = -1;
  /** The kernel's linear memory (.kmem). */
  memory: Label = -1;

  // Zero-initialised variables in .data.
  mainStack: Label = -1;
  istStacks: Label = -1;
  callSlots: Label = -1;
  /** A small stack for the native fatal paths, which may run after the real one is gone. */
  fatalStackTop: Label = -1;

  // Native stubs.
  readonly entry: Label;
  readonly invoke: Label;
  readonly invokeReturn: Label;
  readonly trap: Label;
  readonly memoryGrow: Label;
  /** Grows the running thread's stack (services.ts emitGrowStack). */
  readonly growStack: Label;
  readonly threadStart: Label;
  /** The start of the checked copy's exception range: the fast paths' checked stores (fast-path.ts), then the copy. */
  readonly checkedStart: Label;
  readonly copyChecked: Label;
  readonly copyCheckedEnd: Label;
  readonly copyCheckedFixup: Label;
  readonly vectors: Label;
  readonly common: Label;
  /** Each native fast path's entry and end (fast-path.ts), in FAST_PATH_NAMES' order. */
  readonly fastPathEntries: Label[] = [];
  readonly fastPathEnds: Label[] = [];
  /** Each native switch's fs-base write (fast-path.ts switchTo), which the kernel may rewrite (LINK_FS_BASE_SITES). */
  readonly fsBaseSites: Label[] = [];

  // The exports the stubs call (function indices), -1 when absent.
  main: i32 = -1;
  interrupt: i32 = -1;
  growMemory: i32 = -1;
  fatalTrap: i32 = -1;
  /** The kernel's growStack(limit, bytes) -> new limit or 0 (sched/threads.ts), -1 when it has none. */
  growStackFunction: i32 = -1;
  initialize: i32 = -1;
  /** The kernel's end of a native fast path's call the slow way (sched/entry.ts). */
  fastPathResume: i32 = -1;
  /** The kernel's end of a native direct call the slow way (object/direct.ts). */
  directSendEnd: i32 = -1;

  constructor(c: StubContext, component: CompiledComponent, entry: Label) {
    this.c = c;
    this.component = component;
    const p = c.p;
    this.entry = entry;
    this.invoke = p.label();
    this.invokeReturn = p.label();
    this.trap = p.label();
    this.memoryGrow = p.label();
    this.growStack = p.label();
    this.threadStart = p.label();
    this.checkedStart = p.label();
    this.copyChecked = p.label();
    this.copyCheckedEnd = p.label();
    this.copyCheckedFixup = p.label();
    this.vectors = p.label();
    this.common = p.label();
    for (let i = 0; i < FAST_PATH_COUNT; i++) {
      this.fastPathEntries.push(p.label());
      this.fastPathEnds.push(p.label());
    }
    for (let i = 0; i < FS_BASE_SITE_COUNT; i++) this.fsBaseSites.push(p.label());
  }

  /** The entry of a defined function (by function index). */
  functionLabel(funcIndex: u32): Label {
    if (this.functionLabels.has(funcIndex)) return this.functionLabels.get(funcIndex);
    const component = this.component;
    const defined = component.functions[<i32>(funcIndex - component.numImportedFuncs)];
    const label = this.c.p.labelAt(this.code, <i32>defined.codeOffset);
    this.functionLabels.set(funcIndex, label);
    return label;
  }
}
