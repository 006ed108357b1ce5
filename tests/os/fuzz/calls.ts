// The fuzzer's calls: for each system call of ipc/table, arguments drawn
// from pools that mix valid values with the boundaries the kernel must
// refuse — handles open, closed (stale), never handed out, of another
// type, and small numbers that are other components' handles; pointers in
// the worker's scratch arena, in a read-only mapping, at and past the end
// of its memory, near 2^32 and with pointer + length past 2^32; lengths of
// 0, past the end and huge; receive ids around the ones it saw (other
// components' messages, and stale ones of the same client thread),
// counts and sizes far above the maxima, negative and huge timeouts,
// priorities outside 0..31. Every result is counted by call and by
// outcome.
//
// Calls that can block get a thread.timeout first, nearly always, so that
// a worker keeps issuing calls; the rare one without blocks until whatever
// ends it, or until the supervisor sees the worker stall and kills it.

import {
  delos_channel_create, delos_clock_cycles, delos_clock_now, delos_component_exit, delos_component_kill, delos_component_self,
  delos_component_spawn, delos_component_status, delos_connection_create, delos_handle_close,
  delos_handle_duplicate, delos_handle_info, delos_interrupt_attach, delos_interrupt_unmask, delos_log_write,
  delos_memory_create, delos_memory_map, delos_memory_unmap, delos_msg_grant, delos_msg_read, delos_msg_receive,
  delos_msg_receivev, delos_msg_reply, delos_msg_reply_receive, delos_msg_replyv, delos_msg_send, delos_msg_sendv, delos_name_open,
  delos_name_register, delos_name_unregister, delos_port_read, delos_port_take, delos_port_write, delos_pulse_send, delos_state_delete,
  delos_state_open, delos_thread_create, delos_thread_priority, delos_thread_self,
  delos_thread_set_priority, delos_thread_sleep, delos_thread_timeout, delos_thread_yield, delos_timer_create,
  delos_timer_set, delos_memory_device, delos_memory_dma, delos_memory_physical, delos_firmware_table, delos_msg_check_device,
  delos_system_info, delos_system_components, delos_system_list, delos_msg_bus_master,
  delos_state_dma,
  delos_msg_reply_wait, delos_msg_info, delos_msg_serve_direct,
} from "../../../ipc/generated/imports";
import { PAGE_SIZE } from "../../../ipc/generated/index";
import { pageAligned } from "../lib/pages";
import { ATTACK_PRIORITY, ATTACK_QUOTA, ATTACK_READONLY, CALL_COUNT, LAST_ERROR, OUTCOME_SLOTS } from "./protocol";
import { Random } from "./random";

export const CALL_HANDLE_INFO = 2;
export const CALL_CHANNEL_CREATE = 3;
export const CALL_MSG_SEND = 8;
export const CALL_THREAD_EXIT = 29;
export const CALL_THREAD_YIELD = 31;
export const CALL_COMPONENT_EXIT = 42;
export const CALL_LOG_WRITE = 43;
export const CALL_MEMORY_GROW = 44;
export const CALL_MSG_REPLY_RECEIVE = 45;
export const CALL_PORT_TAKE = 46;
export const CALL_MEMORY_DEVICE = 47;
export const CALL_MEMORY_DMA = 48;
export const CALL_MEMORY_PHYSICAL = 49;
export const CALL_FIRMWARE_TABLE = 50;
export const CALL_MSG_CHECK_DEVICE = 51;
export const CALL_SYSTEM_INFO = 52;
export const CALL_SYSTEM_COMPONENTS = 53;
export const CALL_SYSTEM_LIST = 54;
export const CALL_MSG_BUS_MASTER = 55;
export const CALL_STATE_DMA = 56;
export const CALL_MSG_REPLY_WAIT = 57;
export const CALL_MSG_INFO = 58;
export const CALL_MSG_SERVE_DIRECT = 59;
/** What a failed memory.grow counts as: no error code of the kernel's, so the OTHER slot. */
export const GROW_FAILED: i64 = -1000;

/** How often each call is chosen, by its index in protocol.ts's CALL_NAMES (thread.exit and component.exit: see step). */
const WEIGHTS: u8[] = [
  6, 4, 6, 4, 4, 3, 2, 3, 8, 6, 5, 4, 5, 4, 4, 4, 6, 4, 5, 4, 2, 1, 3, 3, 2, 2, 2, 2, 1,
  0, 2, 2, 1, 3, 1, 2, 1, 1, 1, 2, 3, 1, 0, 0, 1, 4, 2, 2, 2, 2, 1, 2,
  1, 1, 1,
  1,
  1,
  4, 2,
  2,
];

const ARENA_BYTES: u32 = 16 * PAGE_SIZE;
const POOL: i32 = 64;
const STRINGS: string[] = [
  "/test/fuzz", "/test/fuzz-victim", "/test/fuzz-w/a", "/test/fuzz-w/b", "/test/fuzz-w/c", "/test/x", "/init",
  "fuzz-scratch", "other-state", "test/fuzz-absent.wasm", "test/fuzz-worker.wasm", "/", "//", "/test/../x", "/test/./x",
  "/test/fuzz-w/\x01", "/test/fuzz-w/a b", "",
];

export class Fuzz {
  random: Random = new Random(1);
  seedThreads: u64 = 0;
  attacks: u32 = 0;
  self: u32 = 0;
  victimComponent: u32 = 0;
  threadEntry: u32 = 0;
  /** The worker's direct handler (a table index of type (i32, i32) -> i32). */
  directHandler: u32 = 0;
  ownChannel: i32 = 0;
  readOnlyObject: i32 = 0;
  lastReceiveId: u32 = 1;
  liveThreads: i32 = 0;
  threadsMade: u32 = 0;

  /** Counts since the last flush. */
  pendingCalls: u32 = 0;
  outcomes: StaticArray<u32> = new StaticArray<u32>(OUTCOME_SLOTS);
  perCall: StaticArray<u32> = new StaticArray<u32>(CALL_COUNT);

  /** Handles this worker was given (a ring) and ones it closed. */
  live: StaticArray<i32> = new StaticArray<i32>(POOL);
  liveNext: i32 = 0;
  closed: StaticArray<i32> = new StaticArray<i32>(POOL);
  closedNext: i32 = 0;

  /** Where the kernel may write: a writable arena, a zone mapped read-only, a zone for memory.map. */
  arena: usize = pageAligned(ARENA_BYTES);
  readOnly: usize = pageAligned(2 * PAGE_SIZE);
  mapZone: usize = pageAligned(4 * PAGE_SIZE);
  /** Read-only inputs: the strings, iovec arrays, a line for log.write. */
  text: usize = heap.alloc(1024);
  textOffsets: StaticArray<u32> = new StaticArray<u32>(STRINGS.length + 1);
  iovecs: usize = heap.alloc(8 * 20);

  /** The buffer drawn last: address and length. */
  address: u32 = 0;
  length: u32 = 0;
  private cumulative: StaticArray<u32> = new StaticArray<u32>(CALL_COUNT);
  private total: u32 = 0;

  constructor() {
    let sum: u32 = 0;
    for (let i = 0; i < CALL_COUNT; i++) { sum += <u32>WEIGHTS[i]; this.cumulative[i] = sum; }
    this.total = sum;
    let at: u32 = 0;
    for (let i = 0; i < STRINGS.length; i++) {
      this.textOffsets[i] = at;
      const bytes = Uint8Array.wrap(String.UTF8.encode(STRINGS[i]));
      for (let j = 0; j < bytes.length; j++) store<u8>(this.text + at + j, bytes[j]);
      at += <u32>bytes.length;
    }
    this.textOffsets[STRINGS.length] = at;
    const line = "fuzz-worker: a line from log.write";
    for (let j = 0; j < line.length; j++) store<u8>(this.text + 768 + j, <u8>line.charCodeAt(j));
    // firmware.table's signatures: the one the worker is granted, and one it is not.
    for (let j = 0; j < 8; j++) store<u8>(this.text + 900 + j, <u8>"MCFGAPIC".charCodeAt(j));
  }

  // The counts.

  record(call: i32, result: i64): void {
    let slot: i32 = 0;
    if (result < 0) slot = result >= -LAST_ERROR ? <i32>(-result) : OUTCOME_SLOTS - 1;
    this.outcomes[slot]++;
    this.perCall[call]++;
    this.pendingCalls++;
  }

  clearCounts(): void {
    for (let i = 0; i < OUTCOME_SLOTS; i++) this.outcomes[i] = 0;
    for (let i = 0; i < CALL_COUNT; i++) this.perCall[i] = 0;
    this.pendingCalls = 0;
  }

  // The pools.

  remember(handle: i32): void {
    if (handle <= 0) return;
    this.live[this.liveNext] = handle;
    this.liveNext = (this.liveNext + 1) % POOL;
  }

  forget(handle: i32): void {
    for (let i = 0; i < POOL; i++) if (this.live[i] == handle) this.live[i] = 0;
    this.closed[this.closedNext] = handle;
    this.closedNext = (this.closedNext + 1) % POOL;
  }

  handle(random: Random): i32 {
    const kind = random.below(100);
    if (kind < 55) { const handle = this.live[random.below(<u32>POOL)]; if (handle != 0) return handle; }
    if (kind < 70) { const handle = this.closed[random.below(<u32>POOL)]; if (handle != 0) return handle; }
    if (kind < 85) return <i32>((random.below(4) << 16) | (1 + random.below(40)));
    if (kind < 90) return 0;
    if (kind < 95) {
      const edges: i32[] = [-1, 0x7fffffff, <i32>0x80000000, 0x10000, 0xffff, 0x7fff0001, 4097, 4096];
      return edges[random.below(<u32>edges.length)];
    }
    return <i32>random.u32();
  }

  memoryEnd(): u32 {
    return <u32>(memory.size() << 16);
  }

  /** Draws a buffer into `address` and `length`; `output`: the kernel writes it (fewer pointers into the worker's own data). */
  buffer(random: Random, output: bool, most: u32): void {
    const kind = random.below(100);
    const end = this.memoryEnd();
    let length: u32 = random.oneIn(2) ? random.below(most < 64 ? most + 1 : 64) : random.below(most + 1);
    let address: u32;
    if (kind < 50) {
      if (length > ARENA_BYTES) length = ARENA_BYTES;
      address = <u32>this.arena + random.below(ARENA_BYTES - length + 1);
    } else if (kind < 62 && (this.attacks & ATTACK_READONLY) != 0) {
      if (length > 2 * PAGE_SIZE) length = 2 * PAGE_SIZE;
      address = <u32>this.readOnly + random.below(2 * PAGE_SIZE - length + 1);
    } else if (kind < 68) {
      address = end - length + random.below(17) - 8;
    } else if (kind < 74) {
      address = 0xffffffff - random.below(64);
      length = random.oneIn(2) ? random.below(256) : most;
    } else if (kind < 79) {
      address = <u32>this.arena + random.below(64);
      const huge: u32[] = [0xffffffff, 0x7fffffff, 0x80000000, end, end - <u32>this.arena + 1, most + 1, 0xfffffff0];
      length = huge[random.below(<u32>huge.length)];
    } else if (kind < 84) {
      address = end + random.below(0x10000);
    } else if (kind < 88) {
      address = random.below(4) * 0x40000000 + random.below(0x1000);
      length = random.below(64);
    } else if (kind < 90 || !output) {
      address = random.u32() % (end + 1);
      if (length > 256) length = random.below(256);
    } else {
      if (length > ARENA_BYTES) length = ARENA_BYTES;
      address = <u32>this.arena + random.below(ARENA_BYTES - length + 1);
    }
    this.address = address;
    this.length = length;
  }

  /** A string argument: one of STRINGS, or a buffer of any kind. */
  string(random: Random): void {
    if (random.oneIn(5)) { this.buffer(random, false, 300); return; }
    const which = random.below(<u32>STRINGS.length);
    this.address = <u32>this.text + this.textOffsets[which];
    this.length = this.textOffsets[which + 1] - this.textOffsets[which];
    if (random.oneIn(16)) this.length += random.below(8);
  }

  /** An iovec array of up to `count` entries in the iovec area, each a buffer of any kind; or a bad array. Returns the count. */
  iovec(random: Random, output: bool): u32 {
    if (random.oneIn(8)) {
      this.buffer(random, false, 256);
      const counts: u32[] = [0, 1, 16, 17, 0x10000, 0xffffffff, 0x20000000];
      return counts[random.below(<u32>counts.length)];
    }
    const count = random.below(5);
    for (let i: u32 = 0; i < count; i++) {
      this.buffer(random, output, 8192);
      store<u32>(this.iovecs + 8 * i, this.address);
      store<u32>(this.iovecs + 8 * i + 4, this.length);
    }
    this.address = <u32>this.iovecs;
    return count;
  }

  receiveId(random: Random): u32 {
    const kind = random.below(10);
    // Around the last one seen: other threads' slots, or the same slot's other generations (the kernel's ids
    // keep the client's thread slot in their low 12 bits, kernel/object/receive-id.ts).
    if (kind < 4) return this.lastReceiveId + random.below(33) - 16;
    if (kind < 6) return this.lastReceiveId + (random.below(33) - 16) * 4096;
    if (kind == 6) return random.below(3);
    if (kind == 7) return 0x80000000 + random.below(2);
    if (kind == 8) return 0xffffffff;
    return random.u32();
  }

  timeout(random: Random): i64 {
    const kind = random.below(16);
    if (kind < 6) return 0;
    if (kind < 10) return <i64>random.below(2_000_000);
    if (kind < 12) return -1;
    if (kind == 12) return i64.MIN_VALUE;
    if (kind == 13) return -(<i64>random.u32());
    if (kind == 14) return <i64>random.below(10_000_000);
    return i64.MAX_VALUE;
  }

  /** A timeout for a call that waits: never one that waits for ever, but negative values that mean that are refused or rare. */
  shortTimeout(random: Random): i64 {
    const kind = random.below(8);
    if (kind < 4) return 0;
    return <i64>random.below(1_000_000);
  }

  priority(random: Random): i32 {
    // Within a worker's own range: a main thread far below its siblings' threads starves and stalls.
    if ((this.attacks & ATTACK_PRIORITY) == 0) return 8 + <i32>random.below(3);
    const kind = random.below(8);
    if (kind < 3) return <i32>random.below(32);
    if (kind == 3) return 31;
    if (kind == 4) return 32 + <i32>random.below(8);
    if (kind == 5) return -1 - <i32>random.below(4);
    if (kind == 6) return <i32>random.u32();
    return 10;
  }

  component(random: Random): u32 {
    const kind = random.below(8);
    if (kind < 2) return this.self;
    if (kind < 4) return this.self + random.below(9) - 4;
    if (kind == 4) return this.victimComponent;
    if (kind == 5) return random.below(3);
    if (kind == 6) return 0xffffffff;
    return random.u32();
  }

  rights(random: Random): u32 {
    return random.oneIn(4) ? random.u32() : random.below(256);
  }

  /** Arms a timeout for the next message call, nearly always, so that the call does not wait for ever. */
  guard(random: Random): void {
    // A worker blocked for good is ended as stalled after 3 s: rare, or the run spends its time waiting.
    if (random.oneIn(1024)) return;
    const states = random.oneIn(64) ? random.below(8) : 7;
    this.record(33, delos_thread_timeout(states, this.shortTimeout(random)));
  }

  // The read-only mapping (ATTACK_READONLY).

  mapReadOnly(): void {
    if (this.readOnlyObject <= 0) return;
    // Fails with NOT_MAPPED or INVALID_ARGUMENT while the mapping is in place; maps it again after the fuzzing unmapped it.
    delos_memory_map(this.readOnlyObject, <u32>this.readOnly, 2 * PAGE_SIZE, 0);
  }

  /** handle.info of a live handle into `output`: the stack attack's call at the bottom. */
  handleInfoInto(output: usize): i32 {
    const random = this.random;
    const result = delos_handle_info(this.handle(random), random.oneIn(2) && (this.attacks & ATTACK_READONLY) != 0 ? <u32>this.readOnly : <u32>output);
    this.record(CALL_HANDLE_INFO, result);
    return result;
  }

  // The calls.

  step(): i32 {
    return this.stepWith(this.random);
  }

  stepWith(random: Random): i32 {
    if (random.oneIn(20000)) return this.issueWith(CALL_COMPONENT_EXIT, random);
    if (random.oneIn(2000)) return this.issueWith(CALL_LOG_WRITE, random);
    const pick = random.below(this.total);
    let call = 0;
    while (this.cumulative[call] <= pick) call++;
    return this.issueWith(call, random);
  }

  issue(call: i32): i32 {
    return this.issueWith(call, this.random);
  }

  issueWith(call: i32, random: Random): i32 {
    let result: i64 = 0;
    switch (call) {
      case 0: {
        const handle = this.handle(random);
        result = delos_handle_close(handle);
        if (result == 0) this.forget(handle);
        break;
      }
      case 1: result = delos_handle_duplicate(this.handle(random), this.rights(random)); this.remember(<i32>result); break;
      case 2: this.buffer(random, true, 32); result = delos_handle_info(this.handle(random), this.address); break;
      case 3: result = delos_channel_create(random.oneIn(4) ? random.u32() : 0); this.remember(<i32>result); break;
      case 4: result = delos_connection_create(this.handle(random)); this.remember(<i32>result); break;
      case 5: {
        this.string(random);
        result = delos_name_register(this.address, this.length, this.handle(random), random.oneIn(3) ? 1 : random.below(4));
        break;
      }
      case 6: this.string(random); result = delos_name_unregister(this.address, this.length); break;
      case 7: {
        this.string(random);
        // A negative timeout waits for a name that may never come: rare, and the supervisor ends a stalled worker.
        const timeout = random.oneIn(2000) ? this.timeout(random) : this.shortTimeout(random);
        result = delos_name_open(this.address, this.length, timeout);
        this.remember(<i32>result);
        break;
      }
      case 8: {
        this.buffer(random, false, 8192);
        const send = this.address, sendLength = this.length;
        this.buffer(random, true, 8192);
        this.guard(random);
        result = delos_msg_send(this.handle(random), send, sendLength, this.address, this.length);
        break;
      }
      case 9: {
        const sendCount = this.iovec(random, false);
        const send = this.address;
        // The reply's array must not be the send's: a second area of the same iovec block.
        const replyCount: u32 = random.oneIn(2) ? 0 : random.below(3);
        for (let i: u32 = 0; i < replyCount; i++) {
          this.buffer(random, true, 4096);
          store<u32>(this.iovecs + 8 * (16 + i), this.address);
          store<u32>(this.iovecs + 8 * (16 + i) + 4, this.length);
        }
        this.guard(random);
        result = delos_msg_sendv(this.handle(random), send, sendCount, <u32>this.iovecs + 8 * 16, replyCount, random.oneIn(2) ? 0 : this.handle(random));
        break;
      }
      case 10: {
        this.buffer(random, true, 8192);
        const buffer = this.address, length = this.length;
        this.buffer(random, true, 24);
        this.guard(random);
        result = delos_msg_receive(random.oneIn(2) ? this.ownChannel : this.handle(random), buffer, length, random.oneIn(4) ? 0 : this.address);
        if (result > 0) this.replyTo(<u32>result, random);
        break;
      }
      case 11: {
        const count = this.iovec(random, true);
        const buffers = this.address;
        this.buffer(random, true, 24);
        this.guard(random);
        result = delos_msg_receivev(random.oneIn(2) ? this.ownChannel : this.handle(random), buffers, count, random.oneIn(4) ? 0 : this.address);
        if (result > 0) this.replyTo(<u32>result, random);
        break;
      }
      case 12: this.buffer(random, false, 8192); result = delos_msg_reply(this.receiveId(random), <i32>random.u32() >> random.below(32), this.address, this.length); break;
      case 13: { const count = this.iovec(random, false); result = delos_msg_replyv(this.receiveId(random), <i32>random.below(3) - 1, this.address, count); break; }
      case 14: this.buffer(random, true, 8192); result = delos_msg_read(this.receiveId(random), random.oneIn(2) ? random.below(64) : random.u32(), this.address, this.length); break;
      case 15: result = delos_msg_grant(this.receiveId(random), this.handle(random), this.rights(random)); break;
      case 16: {
        const burst = (this.attacks & ATTACK_QUOTA) != 0 && random.oneIn(16) ? 80 : 1;
        const handle = this.handle(random);
        const code = random.oneIn(4) ? <i32>random.u32() : <i32>random.below(130) - 1;
        for (let i = 0; i < burst; i++) {
          result = delos_pulse_send(handle, code, <i64>random.next());
          if (i + 1 < burst) this.record(call, result);
        }
        break;
      }
      case 17: {
        const sizes: u32[] = [0, 1, PAGE_SIZE, 3 * PAGE_SIZE, 0x10000, 0x7fffffff, 0xffffffff, 0x10000000];
        let size = random.oneIn(2) ? random.below(0x20000) : sizes[random.below(<u32>sizes.length)];
        if ((this.attacks & ATTACK_QUOTA) == 0 && size > 0x10000) size = 0x10000 + random.below(2);
        result = delos_memory_create(size);
        this.remember(<i32>result);
        break;
      }
      case 18: {
        const kind = random.below(8);
        let address: u32 = <u32>this.mapZone + PAGE_SIZE * random.below(4);
        if (kind == 5) address = <u32>this.readOnly;
        else if (kind == 6) address = random.oneIn(2) ? this.memoryEnd() - PAGE_SIZE * random.below(3) : random.u32();
        else if (kind == 7) address += 1 + random.below(PAGE_SIZE - 1);
        const lengths: u32[] = [PAGE_SIZE, 2 * PAGE_SIZE, 0, 1, 0xfffff000, 0x80000000, 5 * PAGE_SIZE];
        const length = random.oneIn(2) ? PAGE_SIZE * (1 + random.below(4)) : lengths[random.below(<u32>lengths.length)];
        let flags = random.oneIn(8) ? random.u32() : random.below(2);
        // A mapping without MAP_WRITABLE is a read-only range the kernel may later be asked to write: ATTACK_READONLY.
        if ((this.attacks & ATTACK_READONLY) == 0) flags |= 1;
        result = delos_memory_map(this.handle(random), address, length, flags);
        break;
      }
      case 19: {
        const kind = random.below(8);
        let address: u32 = <u32>this.mapZone + PAGE_SIZE * random.below(4);
        if (kind == 5 && random.oneIn(8)) address = <u32>this.readOnly;
        else if (kind == 6) address = <u32>this.arena;
        else if (kind == 7) address = random.u32();
        result = delos_memory_unmap(address, random.oneIn(2) ? PAGE_SIZE * (1 + random.below(4)) : random.u32());
        break;
      }
      case 20: {
        this.string(random);
        const sizes: u32[] = [0, PAGE_SIZE, 0xffffffff, 0x10000000];
        let size = random.oneIn(2) ? random.below(3 * PAGE_SIZE) : sizes[random.below(<u32>sizes.length)];
        if ((this.attacks & ATTACK_QUOTA) == 0 && size > 0x10000) size = PAGE_SIZE;
        result = delos_state_open(this.address, this.length, size);
        this.remember(<i32>result);
        break;
      }
      case 21: this.string(random); result = delos_state_delete(this.address, this.length); break;
      case 22: result = delos_timer_create(this.handle(random), <i32>random.below(140) - 4, <i64>random.next()); this.remember(<i32>result); break;
      case 23: {
        const delays: i64[] = [0, 1, 1_000_000, -1, i64.MIN_VALUE, i64.MAX_VALUE, 10_000];
        result = delos_timer_set(this.handle(random), delays[random.below(<u32>delays.length)], delays[random.below(<u32>delays.length)]);
        break;
      }
      case 24: {
        const lines: u32[] = [8, 8, 2, 200, 0, 0xffffffff];
        result = delos_interrupt_attach(lines[random.below(<u32>lines.length)], this.handle(random), <i32>random.below(140) - 4);
        this.remember(<i32>result);
        break;
      }
      case 25: result = delos_interrupt_unmask(this.handle(random)); break;
      case 26: {
        const ports: u32[] = [0x80, 0x80, 0x7f, 0x81, 0x3f8, 0x510, 0xffff, 0x10000, 0xffffffff];
        result = delos_port_read(ports[random.below(<u32>ports.length)], random.below(6));
        break;
      }
      case 27: {
        // Only port 0x80 is granted: any other must be refused before it is written.
        const ports: u32[] = [0x80, 0x80, 0x7f, 0x81, 0x3f8, 0xf4, 0xcf9, 0x64, 0xffff, 0x10000];
        result = delos_port_write(ports[random.below(<u32>ports.length)], random.below(6), random.u32());
        break;
      }
      case 28: result = this.createThread(random); break;
      case 30: {
        const durations: i64[] = [0, 1, 1000, 100_000, 1_000_000, -1, i64.MIN_VALUE];
        result = delos_thread_sleep(durations[random.below(<u32>durations.length)]);
        break;
      }
      case 31: result = delos_thread_yield(); break;
      case 32: result = delos_thread_self(); break;
      case 33: result = delos_thread_timeout(random.oneIn(4) ? random.u32() : random.below(8), this.timeout(random)); break;
      case 34: result = delos_thread_priority(); break;
      case 35: result = delos_thread_set_priority(this.priority(random)); break;
      case 36: result = delos_clock_now(); break;
      case 37: result = delos_clock_cycles(); break;
      case 38: {
        this.string(random);
        const path = this.address, pathLength = this.length;
        this.string(random);
        result = delos_component_spawn(path, pathLength, this.handle(random), this.address, this.length);
        break;
      }
      case 39: result = delos_component_kill(this.component(random)); break;
      case 40: this.buffer(random, true, 64); result = delos_component_status(this.component(random), random.oneIn(8) ? 0 : this.address); break;
      case 41: result = delos_component_self(); break;
      // Never returns and never counted here: the supervisor tells these ends (`exited S`).
      case CALL_COMPONENT_EXIT: delos_component_exit(<i32>random.u32()); break;
      case CALL_LOG_WRITE: {
        // Lines read by the host must stay whole: valid text, or a buffer the kernel must refuse.
        if (random.oneIn(2)) result = delos_log_write(<u32>this.text + 768, 1 + random.below(34));
        else {
          this.buffer(random, false, 8192);
          if (this.length <= 4096 && this.address + this.length >= this.address && this.address + this.length <= this.memoryEnd()) this.length = 0x10000;
          result = delos_log_write(this.address, this.length);
        }
        break;
      }
      case CALL_MEMORY_GROW: result = memory.grow(<i32>random.below(2)) < 0 ? GROW_FAILED : 0; break;
      case CALL_MSG_REPLY_RECEIVE: {
        // A reply, then the next message: it may wait, so under a timeout like the plain receives.
        this.buffer(random, false, 8192);
        const reply = this.address, replyLength = this.length;
        this.buffer(random, true, 8192);
        const buffer = this.address, length = this.length;
        this.buffer(random, true, 24);
        this.guard(random);
        result = delos_msg_reply_receive(this.receiveId(random), <i32>random.below(3) - 1, reply, replyLength,
          random.oneIn(2) ? this.ownChannel : this.handle(random), buffer, length, random.oneIn(4) ? 0 : this.address);
        if (result > 0) this.replyTo(<u32>result, random);
        break;
      }
      case CALL_PORT_TAKE: {
        // Port 0x80 only is granted; the record anywhere, read-only pages included (it must be refused unread).
        const ports: u32[] = [0x80, 0x80, 0x7f, 0x81, 0x60, 0x510, 0xffff, 0x10000];
        this.buffer(random, true, 8);
        result = delos_port_take(ports[random.below(<u32>ports.length)], random.below(6), random.u32(), this.address);
        break;
      }
      case CALL_MEMORY_DEVICE: {
        // The worker's mmio grant is RAM of the memory map (fuzz-worker's manifest): every device object over it is refused.
        const bases: u64[] = [0x100000, 0x101000, 0xff000, 0x100800, 0xb0000000, 0xfee00000, 0, 0xfffffffffffff000];
        const base = random.oneIn(4) ? <u64>random.next() : bases[random.below(<u32>bases.length)];
        const lengths: u32[] = [PAGE_SIZE, 2 * PAGE_SIZE, 0, 1, 0x40000000, 0xfffff000];
        result = delos_memory_device(base, random.oneIn(2) ? lengths[random.below(<u32>lengths.length)] : random.u32());
        this.remember(<i32>result);
        break;
      }
      case CALL_MEMORY_DMA: {
        const sizes: u32[] = [0, 1, PAGE_SIZE, 3 * PAGE_SIZE, 0x10000, 4 << 20, (4 << 20) + 1, 0xffffffff];
        let size = random.oneIn(2) ? random.below(0x10000) : sizes[random.below(<u32>sizes.length)];
        if ((this.attacks & ATTACK_QUOTA) == 0 && size > 0x10000) size = 0x10000 + random.below(2);
        result = delos_memory_dma(size);
        this.remember(<i32>result);
        break;
      }
      case CALL_MEMORY_PHYSICAL: result = delos_memory_physical(this.handle(random), random.oneIn(2) ? random.below(4 * PAGE_SIZE) : random.u32()); break;
      case CALL_FIRMWARE_TABLE: {
        this.string(random);
        if (random.oneIn(2)) { this.address = <u32>this.text + 900 + 4 * random.below(2); this.length = 4; }
        const signature = this.address, signatureLength = this.length;
        this.buffer(random, true, 8192);
        result = delos_firmware_table(signature, signatureLength, this.address, this.length);
        break;
      }
      case CALL_MSG_CHECK_DEVICE: this.string(random); result = delos_msg_check_device(this.receiveId(random), this.address, this.length); break;
      // The system.* calls: records and lists into any buffer (read-only, short, past the end).
      case CALL_SYSTEM_INFO: this.buffer(random, true, 64); result = delos_system_info(this.address); break;
      case CALL_SYSTEM_COMPONENTS: this.buffer(random, true, 4096); result = delos_system_components(this.address, this.length); break;
      case CALL_SYSTEM_LIST: this.buffer(random, true, 8192); result = delos_system_list(random.oneIn(4) ? random.u32() : random.below(4), this.address, this.length); break;
      case CALL_MSG_BUS_MASTER: {
        // The worker's mmio grant is RAM (every claim refused before any device is touched); the rest are other pages, unaligned or wrapped.
        const configs: u64[] = [0x100000, 0x100800, 0xb0000000, 0xb0008000, 0xfee00000, 0, 0xfffffffffffff000];
        result = delos_msg_bus_master(this.receiveId(random), random.oneIn(4) ? <u64>random.next() : configs[random.below(<u32>configs.length)]);
        break;
      }
      case CALL_STATE_DMA: {
        // Names state.open made too (INVALID_ARGUMENT), sizes past DMA_MAXIMUM; kept memory lives as long as the worker's identity.
        this.string(random);
        const sizes: u32[] = [0, 1, PAGE_SIZE, 0x10000, 4 << 20, (4 << 20) + 1, 0xffffffff];
        let size = random.oneIn(2) ? random.below(3 * PAGE_SIZE) : sizes[random.below(<u32>sizes.length)];
        if ((this.attacks & ATTACK_QUOTA) == 0 && size > 0x10000) size = PAGE_SIZE;
        result = delos_state_dma(this.address, this.length, size);
        this.remember(<i32>result);
        break;
      }
      case CALL_MSG_REPLY_WAIT: {
        // A reply from the buffer's start (0: none), then the next message into it; replyLength past the buffer is refused.
        this.buffer(random, true, 8192);
        this.guard(random);
        const replyLength = random.oneIn(4) ? random.u32() : random.below(this.length + 2);
        const received = delos_msg_reply_wait(random.oneIn(3) ? 0 : this.receiveId(random), <i32>random.below(3) - 1, replyLength,
          random.oneIn(2) ? this.ownChannel : this.handle(random), this.address, this.length);
        result = <i64><i32>received;
        if (result > 0) this.replyTo(<u32>result, random);
        break;
      }
      case CALL_MSG_INFO: {
        this.buffer(random, true, 24);
        result = delos_msg_info(this.receiveId(random), this.address);
        break;
      }
      case CALL_MSG_SERVE_DIRECT: {
        // The worker's own handler, a stop, a function of another type or any index; buffers good and bad, on its
        // channel or any handle.
        this.buffer(random, true, 256);
        const kind = random.below(5);
        const handler = kind == 0 ? 0xffffffff : kind == 1 ? this.threadEntry : kind == 2 ? random.u32() : this.directHandler;
        result = delos_msg_serve_direct(random.oneIn(2) ? this.ownChannel : this.handle(random), handler, this.address, this.length);
        break;
      }
      default: call = CALL_THREAD_YIELD; result = delos_thread_yield();
    }
    this.record(call, result);
    return <i32>result;
  }

  /** Answers a received message at random: a reply (good or bad buffers), a read, a grant, or none. */
  replyTo(id: u32, random: Random): void {
    const kind = random.below(6);
    if (kind == 0) return;
    if (kind == 1) { this.buffer(random, true, 8192); this.record(14, delos_msg_read(id, random.below(64), this.address, this.length)); }
    if (kind == 2) this.record(15, delos_msg_grant(id, this.handle(random), this.rights(random)));
    if (kind == 3) { const count = this.iovec(random, false); this.record(13, delos_msg_replyv(id, 0, this.address, count)); return; }
    this.buffer(random, false, 8192);
    this.record(12, delos_msg_reply(id, random.oneIn(4) ? <i32>random.u32() : 0, this.address, this.length));
  }

  createThread(random: Random): i32 {
    const limit = (this.attacks & ATTACK_QUOTA) != 0 ? 64 : 4;
    let entry = this.threadEntry;
    const kind = random.below(8);
    if (kind == 5) entry = random.below(64);
    else if (kind == 6) entry = random.u32();
    else if (kind == 7) entry = 0;
    if (entry == this.threadEntry && this.liveThreads >= limit) return delos_thread_yield();
    const result = delos_thread_create(entry, this.threadsMade++, this.priority(random));
    if (result > 0 && entry == this.threadEntry) this.liveThreads++;
    return result;
  }

  /** ATTACK_QUOTA: many handles, threads and pulses at once, past what a fair share would be. */
  quotaBurst(): void {
    const random = this.random;
    const kind = random.below(3);
    if (kind == 0) {
      for (let i = 0; i < 512; i++) {
        const result = delos_channel_create(0);
        this.record(CALL_CHANNEL_CREATE, result);
        if (result < 0) break;
      }
    } else if (kind == 1) {
      for (let i = 0; i < 32; i++) this.record(28, this.createThread(random));
    } else {
      const handle = this.handle(random);
      for (let i = 0; i < 128; i++) this.record(16, delos_pulse_send(handle, <i32>random.below(128), <i64>i));
    }
  }
}
