// The static link of the kernel into BOOTX64.EFI. The kernel is an ordinary
// privileged component (the compiler's Compile command wrote it); nothing
// instantiates it at run time. Instead, as the linux runtime's link does for
// its executable (sdk/compiler/src/link/linux*.ts), everything an instance
// would have is laid out here, fully formed:
//
//   .text   the kernel's code blob (page-aligned, never patched), the native
//           stubs (entry, invoke, trap, memory.grow, thread start, the
//           message calls' native fast paths, the 256 vector stubs and
//           their common path) and the read-only tables (functions, pc map,
//           names)
//   .data   the main stack and the IST stacks, each above a guard page, and
//           the entry's call slots
//   .kdata  the link info block, runtime services, memory and table
//           objects, vmctx, table elements, the per-vector thread-block table
//           and the thread blocks, every absolute address a PE relocation
//   .kmem   the kernel's linear memory: its initial pages with the active
//           data segments in place; it may grow past the image's end, into
//           virtual space the kernel's page tables keep free for it
//
// The link checks what it relies on and names what is wrong otherwise:
// the component is privileged and imports only intrinsics, exports main,
// interrupt, growMemory and fatalTrap with their types (and growStack,
// when it grows thread stacks), has one memory of
// its own and segments with constant offsets that fit.

import { INTRINSICS_MODULE, PAGE_SIZE, X86_MODULE } from "../../../../sdk/compiler/src/abi";
import { ConstKind, ExternKind, SegmentMode, ValType } from "../../../../sdk/compiler/src/module";
import { Label } from "../../../../sdk/compiler/src/x64/assembler";
import { CompiledComponent, readComponent } from "../../../../sdk/loader/component";
import { loaderError } from "../../../../sdk/loader/error";
import { StubContext } from "../boot/context";
import { IST_COUNT, IST_STACK_SIZE, MAIN_STACK_SIZE, STACK_GUARD_SIZE } from "../link-info";
import { KernelLink } from "./context";
import { layoutData } from "./data";
import { emitEntry } from "./entry";
import { FastPaths } from "./fast-path";
import { beginCheckedRange, emitCopyChecked, emitGrowStack, emitInvoke, emitMemoryGrow, emitThreadStart, emitTrap } from "./services";
import { emitVectors } from "./vectors";

/** Why the link failed, or "". */
export let linkError: string = "";

function failure(text: string): bool {
  linkError = "kernel link: " + text;
  return false;
}

/** Why the last exportedFunction failed. */
let problem: string = "";

/** The function index of an exported function of type `params -> results` (letters i/I), or -1 with `problem` set. */
function exportedFunction(component: CompiledComponent, name: string, params: string, results: string, required: bool): i32 {
  const entry = component.findExport(name);
  if (entry == null || entry.kind != ExternKind.Func) {
    if (required && problem.length == 0) problem = "the kernel exports no function " + name;
    return -1;
  }
  const type = component.funcType(entry.index);
  if (letters(type.params) != params || letters(type.results) != results) {
    if (problem.length == 0) problem = "the kernel's " + name + " has type " + type.toString() + ", not " + signature(params, results);
    return -1;
  }
  return <i32>entry.index;
}

/** "[i64 i64] -> []" for the letters "II" and "". */
function signature(params: string, results: string): string {
  let text = "[";
  for (let i = 0; i < params.length; i++) text += (i > 0 ? " " : "") + (params.charAt(i) == "I" ? "i64" : "i32");
  text += "] -> [";
  for (let i = 0; i < results.length; i++) text += (i > 0 ? " " : "") + (results.charAt(i) == "I" ? "i64" : "i32");
  return text + "]";
}

function letters(types: u8[]): string {
  let text = "";
  for (let i = 0; i < types.length; i++) text += types[i] == <u8>ValType.I64 ? "I" : types[i] == <u8>ValType.I32 ? "i" : "?";
  return text;
}

/** Checks what the static link relies on; the reason when something does not hold, else "". */
function check(component: CompiledComponent): string {
  if (!component.privileged) return "the kernel must be compiled as a privileged component";
  if (component.explicitBounds) return "the kernel must be compiled in guard-region mode";
  for (let i = 0; i < component.imports.length; i++) {
    const entry = component.imports[i];
    if (entry.module == INTRINSICS_MODULE || entry.module == X86_MODULE) continue;
    return "the kernel imports " + entry.module + "." + entry.name + "; it may import only intrinsics (" + INTRINSICS_MODULE + ", " + X86_MODULE + ")";
  }
  if (component.numImportedMemories != 0 || component.memories.length != 1) return "the kernel must define exactly one memory";
  if (component.numImportedTables != 0 || component.tables.length > 1) return "the kernel may define at most one table, and import none";
  if (component.numImportedGlobals != 0) return "the kernel may not import globals";
  for (let i = 0; i < component.globalInits.length; i++) {
    const kind = component.globalInits[i].kind;
    if (kind == ConstKind.GlobalGet || kind == ConstKind.RefFunc) return "global " + i.toString() + " needs an initialiser the link does not evaluate";
  }
  const memoryBytes = <u64>component.memories[0].min * <u64>PAGE_SIZE;
  if (memoryBytes > <u64>(256 << 20)) return "the kernel's initial memory is larger than 256 MiB";
  for (let i = 0; i < component.datas.length; i++) {
    const segment = component.datas[i];
    if (segment.mode != SegmentMode.Active) continue;
    if (segment.offset.kind != ConstKind.I32) return "data segment " + i.toString() + " has no constant offset";
    if (<u64><u32>segment.offset.bits + <u64>segment.length > memoryBytes) return "data segment " + i.toString() + " does not fit in the initial memory";
  }
  const tableLength: u64 = component.tables.length > 0 ? <u64>component.tables[0].limits.min : 0;
  for (let i = 0; i < component.elements.length; i++) {
    const segment = component.elements[i];
    if (segment.mode != SegmentMode.Active) continue;
    if (segment.offset.kind != ConstKind.I32) return "element segment " + i.toString() + " has no constant offset";
    if (<u64><u32>segment.offset.bits + <u64>segment.items.length > tableLength) return "element segment " + i.toString() + " does not fit in the table";
    for (let j = 0; j < segment.items.length; j++) {
      const item = segment.items[j];
      if (item.kind == ConstKind.RefFunc && item.index < component.numImportedFuncs) return "element segment " + i.toString() + " refers to an intrinsic";
      if (item.kind != ConstKind.RefFunc && item.kind != ConstKind.RefNull) return "element segment " + i.toString() + " has an item the link does not evaluate";
    }
  }
  return "";
}

/** The kernel's initial memory image: its active data segments in place, up to the last byte any of them writes. */
function memoryImage(component: CompiledComponent): Uint8Array {
  let end: i32 = 0;
  for (let i = 0; i < component.datas.length; i++) {
    const segment = component.datas[i];
    if (segment.mode != SegmentMode.Active || segment.length == 0) continue;
    end = max(end, <i32>segment.offset.bits + <i32>segment.length);
  }
  const image = new Uint8Array(end);
  for (let i = 0; i < component.datas.length; i++) {
    const segment = component.datas[i];
    if (segment.mode != SegmentMode.Active || segment.length == 0) continue;
    memory.copy(image.dataStart + <usize><u32>segment.offset.bits, component.bytes.dataStart + <usize>segment.start, <usize>segment.length);
  }
  return image;
}

/**
 * Links the kernel component (and, for names, its wasm) into the stub being
 * assembled, binding `entry` to what the stub calls with the boot info.
 * Emits code at the assembler's position: call it after the stub's own code.
 * False with linkError set when the component cannot be linked.
 */
export function linkKernel(c: StubContext, componentBytes: Uint8Array, wasm: Uint8Array | null, entry: Label): bool {
  const component = readComponent(componentBytes);
  if (component == null) return failure(loaderError());
  const reason = check(component!);
  if (reason.length > 0) return failure(reason);
  const k = new KernelLink(c, component!, entry);
  problem = "";
  k.main = exportedFunction(component!, "main", "II", "", true);
  k.interrupt = exportedFunction(component!, "interrupt", "I", "i", true);
  k.growMemory = exportedFunction(component!, "growMemory", "Ii", "i", true);
  k.fatalTrap = exportedFunction(component!, "fatalTrap", "iI", "", true);
  k.growStackFunction = exportedFunction(component!, "growStack", "II", "I", false);
  k.initialize = exportedFunction(component!, "_initialize", "", "", false);
  k.fastPathResume = exportedFunction(component!, "fastPathResume", "", "", false);
  if (k.fastPathResume >= 0) k.directSendEnd = exportedFunction(component!, "directSendEnd", "iiIiiiiii", "i", true);
  if (problem.length > 0) return failure(problem);

  const p = c.p;
  const code = componentBytes.subarray(component!.codeStart, component!.codeStart + <i32>component!.codeLength);
  k.code = p.code(code, 0);
  k.memory = p.memory(memoryImage(component!), <i32>component!.memories[0].min * <i32>PAGE_SIZE);
  k.mainStack = p.variable(STACK_GUARD_SIZE + MAIN_STACK_SIZE, 4096);
  k.istStacks = p.variable(IST_COUNT * (STACK_GUARD_SIZE + IST_STACK_SIZE), 4096);
  k.callSlots = p.variable(64, 16);
  k.fatalStackTop = p.labelAt(p.variable(4096, 16), 4096);
  layoutData(k, wasm);

  emitEntry(k);
  emitInvoke(k);
  emitTrap(k);
  emitMemoryGrow(k);
  emitGrowStack(k);
  emitThreadStart(k);
  // The native fast paths, for a kernel that exports what they are built from (fastPathResume and the layout);
  // their stores into component memory lie in the checked copy's exception range, before the copy.
  const fastPaths = k.fastPathResume >= 0 ? new FastPaths(k) : null;
  beginCheckedRange(k);
  if (fastPaths != null) fastPaths.emitCheckedStores();
  emitCopyChecked(k);
  if (fastPaths != null && !fastPaths.emit()) return failure(fastPaths.error);
  emitVectors(k);
  return true;
}

