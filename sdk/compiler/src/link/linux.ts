// The linux-x64 executable: the native stubs, the statically linked runtime
// and the payload, written as one static ELF (docs/linux-runtime.md).
//
// Order of work: the layout of everything but the code first (the stubs use
// those addresses as immediates), then the stubs and the runtime's code in
// one assembler so that they reach each other by label, then the tables that
// hold code addresses (services, runtime vmctx and table elements).

import { RT_INVOKE, RT_MEMORY_GROW, RT_TRAP } from "../abi";
import { CompiledCode } from "../compiled";
import { setMessage } from "../io";
import { ExternKind } from "../module";
import { Label } from "../x64/assembler";
import { ElfImage, ElfSegment, ElfSymbol, SegmentFlags, writeElf } from "./elf";
import { IMAGE_BASE, layoutLinux } from "./linux/layout";
import { inspectRuntime, writeReadWrite } from "./linux/runtime";
import { emitInvoke, emitMemoryGrow, emitTrap } from "./linux/services";
import { emitSignalHandler } from "./linux/signals";
import { emitRuntimeAbort, emitStart } from "./linux/start";
import { Stubs } from "./linux/stubs";

function labelAddress(stubs: Stubs, label: Label): u64 {
  return stubs.layout.code + <u64>stubs.a.labelOffset(label);
}

function segment(address: u64, flags: i32, bytes: Uint8Array, memorySize: u64, name: string): ElfSegment {
  const result = new ElfSegment();
  result.address = address;
  result.flags = flags;
  result.bytes = bytes;
  result.memorySize = memorySize;
  result.name = name;
  return result;
}

/** The executable, or null with the message set. */
export function linkExecutable(runtime: CompiledCode, payload: Uint8Array): Uint8Array | null {
  const info = inspectRuntime(runtime);
  if (info == null) return null;
  const module = runtime.module;
  const layout = layoutLinux(info.dataLengths(), <u64>payload.length, <u64>runtime.layout.size, <u64>info.tableLength);

  const stubs = new Stubs(layout);
  const a = stubs.a;
  const functionLabels = new Array<Label>(module.funcTypes.length);
  for (let i = 0; i < functionLabels.length; i++) functionLabels[i] = a.newLabel();
  emitStart(stubs, info, functionLabels, <u64>payload.length);
  emitInvoke(stubs);
  emitTrap(stubs);
  emitMemoryGrow(stubs);
  emitSignalHandler(stubs);
  emitRuntimeAbort(stubs);
  stubs.emitTail();
  a.align(64);
  const stubsSize = a.offset;
  const runtimeOffset = a.offset;
  a.buffer.copyFrom(runtime.code.dataStart, runtime.code.length);
  for (let i = 0; i < runtime.functions.length; i++) {
    const compiled = runtime.functions[i];
    a.bindAt(functionLabels[compiled.funcIndex], runtimeOffset + <i32>compiled.codeOffset);
  }
  if (!a.finish()) {
    setMessage("linux-x64 stubs: " + a.error);
    return null;
  }
  const code = a.toBytes();

  const readOnly = new Uint8Array(<i32>layout.readOnlySize);
  const servicesAt = <usize>(layout.services - layout.readOnly);
  store<u64>(readOnly.dataStart + servicesAt + <usize>RT_MEMORY_GROW, labelAddress(stubs, stubs.memoryGrow));
  store<u64>(readOnly.dataStart + servicesAt + <usize>RT_TRAP, labelAddress(stubs, stubs.trap));
  store<u64>(readOnly.dataStart + servicesAt + <usize>RT_INVOKE, labelAddress(stubs, stubs.invoke));
  for (let i = 0; i < module.datas.length; i++) {
    const segment = module.datas[i];
    if (layout.dataImages[i] == 0 || segment.dataLength == 0) continue;
    memory.copy(readOnly.dataStart + <usize>(layout.dataImages[i] - layout.readOnly),
      module.bytes.dataStart + <usize>segment.dataStart, <usize>segment.dataLength);
  }
  memory.copy(readOnly.dataStart + <usize>(layout.payload - layout.readOnly), payload.dataStart, <usize>payload.length);

  const runtimeCode = layout.code + <u64>runtimeOffset;
  const readWrite = writeReadWrite(info, layout, runtimeCode, labelAddress(stubs, stubs.runtimeAbort));

  const image = new ElfImage();
  image.base = IMAGE_BASE;
  image.entry = labelAddress(stubs, stubs.start);
  image.segments.push(segment(layout.readOnly, SegmentFlags.Read, readOnly, layout.readOnlySize, ".rodata"));
  image.segments.push(segment(layout.readWrite, SegmentFlags.Read | SegmentFlags.Write, readWrite, layout.readWriteSize, ".data"));
  image.segments.push(segment(layout.code, SegmentFlags.Read | SegmentFlags.Execute, code, <u64>code.length, ".text"));

  const symbols = image.symbols;
  symbols.push(new ElfSymbol("_start", labelAddress(stubs, stubs.start), 0, true));
  symbols.push(new ElfSymbol("delos_invoke", labelAddress(stubs, stubs.invoke), 0, true));
  symbols.push(new ElfSymbol("delos_trap", labelAddress(stubs, stubs.trap), 0, true));
  symbols.push(new ElfSymbol("delos_memory_grow", labelAddress(stubs, stubs.memoryGrow), 0, true));
  symbols.push(new ElfSymbol("delos_signal_handler", labelAddress(stubs, stubs.signalHandler), 0, true));
  symbols.push(new ElfSymbol("delos_runtime_abort", labelAddress(stubs, stubs.runtimeAbort), 0, true));
  symbols.push(new ElfSymbol("delos_stubs_end", layout.code + <u64>stubsSize, 0, false));
  for (let i = 0; i < runtime.functions.length; i++) {
    const compiled = runtime.functions[i];
    symbols.push(new ElfSymbol(functionName(runtime, compiled.funcIndex), runtimeCode + <u64>compiled.codeOffset,
      <u64>compiled.codeSize, true));
  }
  symbols.push(new ElfSymbol("runtime_vmctx", layout.vmctx, <u64>runtime.layout.size, false));
  symbols.push(new ElfSymbol("thread_block", layout.threadBlock, 64, false));
  symbols.push(new ElfSymbol("code_ranges", layout.codeRanges, 0, false));
  symbols.push(new ElfSymbol("payload", layout.payload, <u64>payload.length, false));
  return writeElf(image);
}

/** `runtime.NAME` for exported functions, `runtime.fINDEX` for the others. */
function functionName(code: CompiledCode, funcIndex: u32): string {
  const exports = code.module.exports;
  for (let i = 0; i < exports.length; i++) {
    if (exports[i].kind == ExternKind.Func && exports[i].index == funcIndex) return "runtime." + exports[i].name;
  }
  return "runtime.f" + funcIndex.toString();
}
