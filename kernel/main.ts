// The Delos kernel's first life: what runs after the boot stub hands over.
// The exports are what the kernel link (arch/x86_64/link) calls:
//
//   main(bootInfo, linkInfo)  once, on the main stack: the boot sequence,
//                             then the idle loop; never returns
//   interrupt(frame)          every interrupt and exception
//   growMemory(memory, pages) memory.grow of the kernel's own memory and of
//                             every component's
//   fatalTrap(kind, pc)       main trapped: report and halt
//   growStack(limit, bytes)   a thread's stack grows (sched/threads.ts), for
//                             the link's trap path
//
// The boot sequence, each step reported on COM1 with a timestamp: measure
// the TSC; load the GDT (with a TSS and IST stacks) and the IDT; account
// for the memory map and start the frame allocator; build the kernel's page
// tables and switch to them; grow the heap; draw the boot screen; mask the
// legacy PICs and start the local APIC timer; find the I/O APICs in the
// ACPI tables (device interrupt lines, all masked); check a context switch;
// start the scheduler (this boot thread becomes the idle thread), the
// loader thread and, from the payload, the first component (init); then
// `ready`. docs/kernel.md has the details.

import "./abort";
import * as console from "./console";
import { cli, haltForever, pause, readRsp, sti, waitForInterrupt } from "./arch/x86_64/cpu";
import { reportCpu } from "./arch/x86_64/cpu-info";
import { useFsBaseInstructions } from "./arch/x86_64/fs-base";
import { activate, createRoot, hasNoExecute, tableFrameCount } from "./arch/x86_64/paging";
import { DIRECT_MAP_BASE, directMapSize, mapDirectMap, mapImage } from "./arch/x86_64/address-space";
import { addBootServicesMemory, addConventionalMemory, reportFrames, reportMemoryMap } from "./arch/x86_64/memory";
import { apicBase, apicIsX2, enableApic, startTimer, TIMER_VECTOR } from "./arch/x86_64/apic";
import { disableLegacyPic } from "./arch/x86_64/pic";
import { setUpInterruptLines } from "./arch/x86_64/interrupt-lines";
import { loadGdt } from "./arch/x86_64/gdt";
import { loadIdt } from "./arch/x86_64/idt";
import { handleInterrupt, setInterruptHandlers, setResumeTrap } from "./arch/x86_64/interrupts";
import { visitEndedTrap } from "./object/direct";
import { setComponentExceptions } from "./arch/x86_64/exceptions";
import { boot, link, takeHandoff } from "./arch/x86_64/handoff";
import { measureTscHz } from "./arch/x86_64/pit";
import { serialInit, serialRead, serialWrite } from "./arch/x86_64/serial";
import { Context, prepareContext, switchTo } from "./arch/x86_64/contexts";
import { INFO_IMAGE_BASE, INFO_IMAGE_SIZE, INFO_PAYLOAD_BASE, INFO_PAYLOAD_SIZE, INFO_TSC_ENTRY } from "./arch/x86_64/boot/boot-info";
import { LINK_CODE, LINK_ENTRY_TSC, LINK_MEMORY_OBJECT } from "./arch/x86_64/link-info";
import { absolute, load32 } from "./arch/x86_64/native";
import { useDirectMap, phys } from "./memory/physical";
import { enableHeapGrowth, growHeap, heapBase, heapGrownPages, heapLength } from "./memory/heap";
import { allocatedFrameCount } from "./memory/frames";
import { cyclesToMicros, now, setEntryTsc, setTscHz, tscAtEntry, tscFrequency } from "./time";
import { TICK_HZ, startTickReports, tick } from "./timer";
import { drawBootScreen, showStage, STAGE_DESCRIPTOR_TABLES, STAGE_MEMORY, STAGE_READY, STAGE_TIMER } from "./screen";
import { printLocation, setComponentLocator } from "./debug/locations";
import { trapMessage } from "../sdk/compiler/src/traps";
import { announceTestFaults, runTestFault, testFaultsEnabled } from "./test/faults";
import { growComponentMemory } from "./component/memory";
import { hasPayloadFile } from "./component/payload";
import { requestLoad, startLoader } from "./component/loader";
import { classifyComponentException, reportEnds } from "./component/end";
import { releaseWaitingRegion } from "./component/region";
import { printComponentLocation } from "./component/locate";
import { isComponentCode } from "./component/platform";
import { lineInterrupt } from "./object/interrupt";
import { Thread } from "./object/thread";
import { PRIORITY_COUNT, PRIORITY_LOWEST } from "./sched/priority";
import { SLICE_TICKS, preemptIfWanted, schedulerTick, startScheduler, yieldCurrent } from "./sched/scheduler";
import { allocateKernelShadowSlots, initKernelShadowStack, kernelShadowSlotCount } from "./sched/kernel-shadow-stack";
import { freeThreadStack, growStack as growThreadStack } from "./sched/threads";
import { systemCalls } from "./component/system-calls";
import { defineSystemCalls } from "./generated/dispatch";

// What the kernel link's native fast path (arch/x86_64/link/fast-path.ts)
// reads at link time: field offsets, values and the cells of the globals it
// shares with the scheduler (sched/layout.ts, object/layout.ts), and the
// functions it calls to finish a resume or a direct call the slow way.
export * from "./sched/layout";
export * from "./object/layout";
export { fastPathResume } from "./sched/entry";
export { directSendEnd } from "./object/direct";

export const BANNER = "Delos 0.1 kernel (x86-64; AssemblyScript compiled by the Delos compiler)";
// The heap check allocates just more than the initial memory (1 MiB): the heap never gives frames back, so
// whatever it grows to here stays in use for good (it once took 4 MiB, and held 8 MiB of frames ever after).
const HEAP_TEST_BLOCKS: i32 = 2;
const HEAP_TEST_BLOCK_SIZE: i32 = 640 << 10;

/** Console bytes the idle loop writes between two chances for an interrupt. */
const IDLE_DRAIN: i32 = 64;
/** Console bytes each clock tick writes, so that the log moves on a machine never idle. */
const TICK_DRAIN: i32 = 128;

function fail(what: string): void {
  console.begin();
  console.text(what);
  console.text("; halted");
  console.end();
  console.halt();
}

function printBadHandoff(): void {
  const text = "\r\nkernel: the boot info or the link info is not what this kernel expects; halted\r\n";
  for (let i = 0; i < text.length; i++) serialWrite(text.charCodeAt(i));
}

function reportTsc(): void {
  console.begin();
  console.text("tsc: ");
  const hz = tscFrequency();
  console.decimal(hz / 1000000);
  console.text(".");
  console.decimal(hz / 1000 % 1000, 3, 0x30);
  console.text(" MHz (measured against the PIT); the boot stub started ");
  console.seconds(cyclesToMicros(tscAtEntry() - <u64>boot(INFO_TSC_ENTRY)));
  console.text(" s before the kernel");
  console.end();
}

function setUpDescriptorTables(): void {
  loadGdt();
  loadIdt();
  console.line("descriptor tables: GDT with code, data and TSS; IDT with 256 vectors; IST stacks for double fault, NMI, machine check, page fault");
}

function setUpMemory(): void {
  reportMemoryMap();
  addConventionalMemory();
  reportFrames("before paging (conventional memory above 1 MiB)");
  if (!createRoot() || !mapDirectMap() || !mapImage()) fail("paging: out of frames for the page tables");
  activate();
  useDirectMap(DIRECT_MAP_BASE);
  // The firmware's page tables and the stub's stack are no longer in use.
  addBootServicesMemory();
  enableHeapGrowth();
  console.begin();
  console.text("paging: kernel page tables active (");
  console.decimal(tableFrameCount());
  console.text(" table frames); image ");
  console.hex(<u64>boot(INFO_IMAGE_BASE));
  console.text("+");
  console.decimal(<u64>boot(INFO_IMAGE_SIZE));
  console.text(" identity-mapped by section; direct map of ");
  console.decimal(directMapSize() >> 30);
  console.text(" GiB at ");
  console.hex(DIRECT_MAP_BASE);
  console.text(hasNoExecute() ? "; no-execute on" : "; no-execute unavailable");
  console.text("; kernel code at ");
  console.hex(<u64>link(LINK_CODE));
  console.end();
  reportFrames("after paging (boot-services memory added)");
}

/** Allocates more than the initial memory holds, so that memory.grow maps frames. */
function testHeap(): void {
  const before = heapLength();
  const blocks = new Array<Uint8Array>();
  for (let i = 0; i < HEAP_TEST_BLOCKS; i++) {
    const block = new Uint8Array(HEAP_TEST_BLOCK_SIZE);
    block[0] = <u8>i;
    block[HEAP_TEST_BLOCK_SIZE - 1] = <u8>(i + 1);
    blocks.push(block);
  }
  let intact = true;
  for (let i = 0; i < HEAP_TEST_BLOCKS; i++) {
    intact = intact && blocks[i][0] == <u8>i && blocks[i][HEAP_TEST_BLOCK_SIZE - 1] == <u8>(i + 1);
  }
  if (!intact) fail("heap: a test block lost its contents");
  console.begin();
  console.text("heap: ");
  console.decimal(<u64>(HEAP_TEST_BLOCKS * HEAP_TEST_BLOCK_SIZE) >> 10);
  console.text(" KiB allocated in ");
  console.decimal(<u64>HEAP_TEST_BLOCKS);
  console.text(" blocks; memory at ");
  console.hex(heapBase());
  console.text(" grew from ");
  console.decimal(before >> 10);
  console.text(" to ");
  console.decimal(heapLength() >> 10);
  console.text(" KiB (");
  console.decimal(heapGrownPages());
  console.text(" wasm pages mapped on demand)");
  console.end();
}

function setUpTimer(): void {
  disableLegacyPic();
  enableApic();
  const counts = startTimer(tscFrequency() / <u64>TICK_HZ);
  if (counts == 0) fail("timer: the local APIC timer does not count");
  console.begin();
  console.text("timer: local APIC (");
  console.text(apicIsX2() ? "x2APIC" : "xAPIC at ");
  if (!apicIsX2()) console.hex(apicBase());
  console.text("), ");
  console.decimal(<u64>TICK_HZ);
  console.text(" Hz on vector ");
  console.hex(<u64>TIMER_VECTOR);
  console.text(", ");
  console.decimal(<u64>counts);
  console.text(" counts per tick; legacy PICs masked");
  console.end();
}

function reportPayload(): void {
  const base = <u64>boot(INFO_PAYLOAD_BASE);
  if (base == 0) { console.line("payload: none"); return; }
  // "DELOSPAK", file count at 16 (docs/boot.md).
  const magic = load32(phys(base)) == 0x4f4c4544 && load32(phys(base) + 4) == 0x4b415053;
  console.begin();
  console.text("payload: ");
  if (magic) {
    console.decimal(<u64><u32>load32(phys(base) + 16));
    console.text(" files, ");
  } else {
    console.text("not an archive, ");
  }
  console.decimal(<u64>boot(INFO_PAYLOAD_SIZE));
  console.text(" bytes at ");
  console.hex(base);
  console.end();
}

// A second context for the boot-time check of switch_context.
let bootContext: Context | null = null;
let otherContext: Context | null = null;
let otherStack: StaticArray<u8> | null = null;
let otherRsp: i64 = 0;

function otherContextEntry(argument: i64): void {
  otherRsp = readRsp() + argument;
  switchTo(otherContext!, bootContext!);
}

function checkContextSwitch(): void {
  bootContext = new Context();
  otherContext = new Context();
  otherStack = new StaticArray<u8>(16 << 10);
  const bottom = absolute(changetype<usize>(otherStack));
  prepareContext(otherContext!, bottom, bottom + (16 << 10), otherContextEntry, 0);
  switchTo(bootContext!, otherContext!);
  const inside = otherRsp >= bottom && otherRsp < bottom + (16 << 10);
  console.begin();
  console.text("contexts: switched to a second context (rsp ");
  console.hex(<u64>otherRsp);
  console.text(inside ? ", on its own stack" : ", NOT on its own stack");
  console.text(") and back");
  console.end();
  if (!inside) fail("contexts: switch_context did not move to the new stack");
}

/** The payload file of the first component, which supervises all others. */
export const INIT_PATH = "system/init.wasm";
const IDLE_SHADOW_SLOTS: i32 = 4;

/** This boot thread becomes the idle thread; the loader thread starts, and loads init if the payload has it. */
function startThreads(): void {
  const idle = new Thread(null, PRIORITY_LOWEST);
  if (!allocateKernelShadowSlots(idle, IDLE_SHADOW_SLOTS)) fail("threads: no shadow-stack slots");
  startScheduler(idle, freeThreadStack);
  defineSystemCalls();
  if (!startLoader()) fail("threads: cannot start the loader thread");
  const init = hasPayloadFile(INIT_PATH);
  if (init) requestLoad(INIT_PATH, "", null, null);
  console.begin();
  console.text("threads: scheduler with ");
  console.decimal(<u64>PRIORITY_COUNT);
  console.text(" priorities, ");
  console.decimal(<u64>SLICE_TICKS * 1000 / <u64>TICK_HZ);
  console.text(" ms slices, ");
  console.decimal(<u64>kernelShadowSlotCount());
  console.text(" shadow-stack slots; ");
  console.decimal(<u64>systemCalls().length);
  console.text(" system calls; loader thread started; ");
  console.text(init ? "init (" + INIT_PATH + ") queued" : "no init in the payload");
  console.end();
}

function reportReady(): void {
  const cycles = now() - tscAtEntry();
  console.begin();
  console.text("ready: ");
  console.seconds(cyclesToMicros(cycles));
  console.text(" s after kernel entry (");
  console.decimal(cycles);
  console.text(" TSC cycles), ");
  console.seconds(cyclesToMicros(now() - <u64>boot(INFO_TSC_ENTRY)));
  console.text(" s after the boot stub's entry; ");
  console.decimal(allocatedFrameCount());
  console.text(" frames in use");
  console.end();
}

function idle(): void {
  const faults = testFaultsEnabled();
  startTickReports();
  while (true) {
    // Anything made ready outside an interrupt (at boot, by a fault key) runs first.
    yieldCurrent();
    // The memory of what ended goes back now, a region per turn (component/region.ts), and the end
    // lines of the components whose memory went back are written.
    while (releaseWaitingRegion()) {
      reportEnds();
      betweenTurns();
    }
    reportEnds();
    // The console's waiting lines go out in turns; between two, an
    // interrupt may come in and whatever it readied runs before the next.
    while (console.drain(IDLE_DRAIN)) betweenTurns();
    waitForInterrupt();
    cli();
    if (faults) {
      const key = serialRead();
      if (key >= 0) runTestFault(key);
    }
  }
}

/** Between two turns of the idle loop's background work: an interrupt may come in, and whatever it readied runs. */
function betweenTurns(): void {
  sti();
  pause();
  cli();
  yieldCurrent();
}

/** The clock tick, after its end of interrupt: the count, the scheduler's timeouts and slice, a switch if one is wanted. */
function timerInterrupt(): void {
  console.drain(TICK_DRAIN);
  tick();
  schedulerTick();
  preemptIfWanted();
}

/**
 * Connects arch/ and debug/ to the layers above them: interrupts to the
 * clock, the interrupt objects and the scheduler; exceptions in component
 * code to the component's end; fault reports to component locations. They
 * call up only through what is registered here (docs/kernel.md, "Layers").
 */
function connectLayers(): void {
  setInterruptHandlers(timerInterrupt, lineInterrupt, preemptIfWanted);
  setResumeTrap(visitEndedTrap);
  setComponentExceptions(isComponentCode, classifyComponentException);
  setComponentLocator(printComponentLocation);
}

export function main(bootInfo: i64, linkInfo: i64): void {
  connectLayers();
  serialInit();
  if (!takeHandoff(bootInfo, linkInfo)) {
    printBadHandoff();
    haltForever();
  }
  if (!initKernelShadowStack()) {
    printBadHandoff();
    haltForever();
  }
  setEntryTsc(<u64>link(LINK_ENTRY_TSC));
  setTscHz(measureTscHz());
  console.line(BANNER);
  reportTsc();
  reportCpu();
  setUpDescriptorTables();
  setUpMemory();
  console.line(useFsBaseInstructions()
    ? "switch: the native switches write the fs base with wrfsbase (FSGSBASE on)"
    : "switch: the native switches write the fs base with wrmsr (no FSGSBASE, or no native switches)");
  testHeap();
  drawBootScreen();
  showStage(STAGE_DESCRIPTOR_TABLES);
  showStage(STAGE_MEMORY);
  setUpTimer();
  setUpInterruptLines();
  showStage(STAGE_TIMER);
  reportPayload();
  checkContextSwitch();
  startThreads();
  showStage(STAGE_READY);
  reportReady();
  if (testFaultsEnabled()) announceTestFaults();
  idle();
}

export function interrupt(frame: i64): i32 {
  return handleInterrupt(frame);
}

export function growMemory(memoryObject: i64, pages: i32): i32 {
  if (memoryObject == link(LINK_MEMORY_OBJECT)) return growHeap(pages);
  return growComponentMemory(memoryObject, pages);
}

export function growStack(limit: i64, bytes: i64): i64 {
  return <i64>growThreadStack(<u64>limit, <u64>bytes);
}

export function fatalTrap(kind: i32, pc: i64): void {
  console.begin();
  console.text("main trapped: ");
  console.text(trapMessage(kind));
  console.text(" at pc ");
  console.hex(<u64>pc);
  printLocation(<u64>pc);
  console.end();
  console.line("halted");
  console.halt();
}
