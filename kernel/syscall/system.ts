// The kernel side of the system.* calls (ipc/table calls.ts): what the
// system runs, for the shell and the system monitor, behind the `system`
// capability. Each call assembles its answer in the kernel's memory and
// copies it out once, so a fault on the caller's buffer changes nothing.
//
// CPU time is sampled: the clock tick charges the running thread's
// component (sched/scheduler.ts), so a component's cpuTicks over an
// interval, against the interval's ticks, is its share of the processor.

import * as abi from "../generated/abi";
import { Component, allComponents } from "../component/component";
import { payloadFileCount, payloadFileName, payloadFileSize } from "../component/payload";
import { writeUser } from "../component/copy";
import { Thread } from "../object/thread";
import { registeredPaths } from "../object/pathname";
import { allThreads, idleTicks } from "../sched/scheduler";
import { tickCount } from "../timer";
import { clockNow } from "./threads";
import { mappedStackBytes } from "../sched/threads";
import { allocatedFrameCount, freeFrameCount } from "../memory/frames";
import { heapLength } from "../memory/heap";
import { cachedCodeBytes } from "../component/cache";
import { PAGE_SIZE } from "../../sdk/compiler/src/abi";

const info = memory.data(<i32>abi.SYSTEM_INFO_SIZE, 8);

/** system.info: writes the systemInfo record at absolute `to`. */
export function systemInfo(caller: Thread, to: u64): i32 {
  const components = allComponents();
  let running: u32 = 0;
  for (let i = 0; i < components.length; i++) if (components[i].isRunning) running++;
  let threads: u32 = 0;
  let stacks: u64 = 0;
  const all = allThreads();
  for (let i = 0; i < all.length; i++) {
    if (all[i].isAlive) threads++;
    stacks += mappedStackBytes(all[i]);
  }
  store<i64>(info + <usize>abi.SYSTEM_INFO_UPTIME, clockNow(caller));
  store<u64>(info + <usize>abi.SYSTEM_INFO_TICKS, tickCount());
  store<u64>(info + <usize>abi.SYSTEM_INFO_IDLE_TICKS, idleTicks());
  store<u64>(info + <usize>abi.SYSTEM_INFO_FRAMES_FREE, freeFrameCount());
  store<u64>(info + <usize>abi.SYSTEM_INFO_FRAMES_USED, allocatedFrameCount());
  store<u32>(info + <usize>abi.SYSTEM_INFO_COMPONENTS, running);
  store<u32>(info + <usize>abi.SYSTEM_INFO_THREADS, threads);
  store<u64>(info + <usize>abi.SYSTEM_INFO_HEAP_BYTES, heapLength());
  store<u64>(info + <usize>abi.SYSTEM_INFO_STACK_BYTES, stacks);
  store<u64>(info + <usize>abi.SYSTEM_INFO_CODE_BYTES, cachedCodeBytes());
  return writeUser(to, info, abi.SYSTEM_INFO_SIZE) ? 0 : abi.ERROR_BAD_ADDRESS;
}

const record = memory.data(<i32>abi.COMPONENT_INFO_SIZE, 8);

/**
 * system.components: a componentInfo record for each running component, as
 * many as `length` bytes at absolute `to` hold; how many run. Restarts and
 * the last fault come from the ended instances of the same identity, which
 * the kernel keeps for component.status.
 */
export function systemComponents(caller: Thread, to: u64, length: u32): i32 {
  const components = allComponents();
  const room = <u32>(<u64>length / abi.COMPONENT_INFO_SIZE);
  let count: u32 = 0;
  for (let i = 0; i < components.length; i++) {
    const component = components[i];
    if (!component.isRunning) continue;
    if (count < room) {
      fillRecord(component, components, i);
      if (!writeUser(to + <u64>count * abi.COMPONENT_INFO_SIZE, record, abi.COMPONENT_INFO_SIZE)) return abi.ERROR_BAD_ADDRESS;
    }
    count++;
  }
  return <i32>count;
}

/** The record of `component`, the `index`-th of `components` (its predecessors come before it). */
function fillRecord(component: Component, components: Component[], index: i32): void {
  let restarts: u32 = 0, lastTrap: u32 = 0;
  for (let k = 0; k < index; k++) {
    const earlier = components[k];
    if (earlier.identity != component.identity) continue;
    restarts++;
    const fault = earlier.fault;
    if (fault != null && fault.trapKind != 0) lastTrap = <u32>fault.trapKind;
  }
  const supervisor = component.supervisor;
  store<u32>(record + <usize>abi.COMPONENT_INFO_ID, component.id);
  store<u32>(record + <usize>abi.COMPONENT_INFO_SUPERVISOR, supervisor == null ? 0 : supervisor.id);
  store<u32>(record + <usize>abi.COMPONENT_INFO_KIND, <u32>component.kind);
  store<u32>(record + <usize>abi.COMPONENT_INFO_STATE, <u32>component.state);
  store<u32>(record + <usize>abi.COMPONENT_INFO_THREADS, <u32>component.liveThreads);
  store<u32>(record + <usize>abi.COMPONENT_INFO_PAGES, <u32>(component.memoryLength / <u64>PAGE_SIZE));
  store<u32>(record + <usize>abi.COMPONENT_INFO_OBJECT_PAGES, <u32>component.objectPages);
  store<u32>(record + <usize>abi.COMPONENT_INFO_RESTARTS, restarts);
  store<u32>(record + <usize>abi.COMPONENT_INFO_LAST_TRAP, lastTrap);
  store<u32>(record + <usize>abi.COMPONENT_INFO_PRIORITY, <u32>component.rights.priority);
  store<u64>(record + <usize>abi.COMPONENT_INFO_CPU_TICKS, component.cpuTicks);
  store<u64>(record + <usize>abi.COMPONENT_INFO_MESSAGES, component.messages);
  const name = String.UTF8.encode(component.identity);
  const nameSize = <usize>(abi.COMPONENT_INFO_SIZE - <u64>abi.COMPONENT_INFO_NAME); // the name is the last field
  const copied = min<usize>(<usize>name.byteLength, nameSize);
  memory.copy(record + <usize>abi.COMPONENT_INFO_NAME, changetype<usize>(name), copied);
  memory.fill(record + <usize>abi.COMPONENT_INFO_NAME + copied, 0, nameSize - copied);
}

/** system.list: the paths or the payload's files as lines, cut at a line's end to `length` bytes at absolute `to`; the whole list's length. */
export function systemList(caller: Thread, what: u32, to: u64, length: u32): i32 {
  let text = "";
  if (what == abi.SYSTEM_LIST_NAMES) {
    const paths = registeredPaths();
    for (let i = 0; i < paths.length; i++) text += paths[i] + "\n";
  } else if (what == abi.SYSTEM_LIST_FILES) {
    const count = payloadFileCount();
    for (let i = 0; i < count; i++) text += payloadFileName(i) + " " + payloadFileSize(i).toString() + "\n";
  } else {
    return abi.ERROR_INVALID_ARGUMENT;
  }
  const bytes = String.UTF8.encode(text);
  const total = <u32>bytes.byteLength;
  let written = min(total, length);
  // Whole lines only.
  while (written > 0 && written < total && load<u8>(changetype<usize>(bytes) + <usize>written - 1) != 10) written--;
  if (written > 0 && !writeUser(to, changetype<usize>(bytes), <u64>written)) return abi.ERROR_BAD_ADDRESS;
  return <i32>total;
}
