// The pointer driver: QEMU's virtio-tablet, a virtio-input device (PCI
// 1af4:1052; virtio spec 1.2, §5.8). The device writes evdev-style events
// (type, code, value) into buffers of its event queue; the driver turns
// them into input protocol events — absolute position scaled to
// 0..INPUT_POINTER_MAXIMUM, buttons, wheel — and hands them to the
// compositor through the input client library (drivers/lib/input).
//
// No restart loses or doubles an event (README.md): the queue's rings and
// buffers live in a DMA state object the device goes on filling while no
// instance runs (the kernel leaves bus mastering on for it), and a new
// instance adopts the queue where its predecessor's last commit left it
// (state.ts) instead of resetting the device; it resets only when the
// device no longer runs that queue (first start, a reset by anyone else).
// Events queued and not yet applied by the compositor are re-sent under
// their old numbers; a new instance numbers its own from 1 under its own
// instance id. It never waits for the compositor: the device's buffers are
// drained on every interrupt, and what the compositor could not take yet
// is tried again every RETRY_NANOSECONDS (lib/input merges motion and
// drops it first). It serves its status on /dev/tablet (protocol.ts), and
// init keeps a warm spare of it, which has mapped the device's registers
// before it stands by.

import "../../sdk/lib/abort";
import {
  channelCreate, componentSelf, connectionCreate, interruptUnmask, memoryMap, stateDma, stateOpen, timerCreate, timerSet, errorName, Pulse, MAP_WRITABLE,
  PCI_ENABLE_BUS_MASTER, INPUT_POINTER, INPUT_BUTTON, INPUT_WHEEL, INPUT_PRESSED, INPUT_RELEASED,
  INPUT_BUTTON_LEFT, INPUT_BUTTON_RIGHT, INPUT_BUTTON_MIDDLE, INPUT_POINTER_MAXIMUM,
} from "../../ipc/generated/index";
import { Server, awaitTakeOver } from "../../ipc/client/index";
import { log } from "../../sdk/lib/log";
import { TABLET_PATH, TabletStatusReply } from "./generated/protocols/tablet";
import { TabletHandlers, serveTablet } from "./generated/servers/tablet";
import { PciDevice } from "../lib/device/pci";
import { VirtioDevice } from "../lib/virtio/transport";
import { Virtqueue } from "../lib/virtio/virtqueue";
import { InputClient } from "../lib/input/index";
import { QUEUE_CAPACITY, QUEUE_STATE_NAME, STATE_NAME, STATE_SIZE, TabletState } from "./state";

const VENDOR: u32 = 0x1af4;
const DEVICE: u32 = 0x1052;
const EVENT_QUEUE: u32 = 0;
const QUEUE_SIZE: u32 = 64;
/** virtio_input_event: le16 type, le16 code, le32 value. */
const EVENT_BYTES: u32 = 8;

const PULSE_INTERRUPT: i32 = 1;
const PULSE_RETRY: i32 = 2;
/** How often events that found no compositor are tried again. */
const RETRY_NANOSECONDS: i64 = 100_000_000;
const BUFFER_SIZE: u32 = 64;

// evdev types and codes.
const EV_SYN: u32 = 0;
const EV_KEY: u32 = 1;
const EV_REL: u32 = 2;
const EV_ABS: u32 = 3;
const ABS_X: u32 = 0;
const ABS_Y: u32 = 1;
const REL_HWHEEL: u32 = 6;
const REL_WHEEL: u32 = 8;
const BTN_LEFT: u32 = 0x110;
const BTN_RIGHT: u32 = 0x111;
const BTN_MIDDLE: u32 = 0x112;

// virtio-input configuration: select, subsel, size, then the union (absinfo: min, max, ...).
const CONFIG_SELECT: usize = 0;
const CONFIG_SUBSEL: usize = 1;
const CONFIG_SIZE: usize = 2;
const CONFIG_UNION: usize = 8;
const CFG_ABS_INFO: u8 = 0x12;

let input: InputClient | null = null;
let state: TabletState | null = null;
/** The report under way, as the working checkpoint holds it while a batch is consumed. */
let x: u32 = 0, y: u32 = 0;
let moved = false;
/** The device's largest coordinate on each axis (its absinfo), for scaling. */
let maximumX: u32 = INPUT_POINTER_MAXIMUM, maximumY: u32 = INPUT_POINTER_MAXIMUM;

function axisMaximum(device: VirtioDevice, axis: u32): u32 {
  if (device.device == 0) return INPUT_POINTER_MAXIMUM;
  store<u8>(device.device + CONFIG_SELECT, CFG_ABS_INFO);
  store<u8>(device.device + CONFIG_SUBSEL, <u8>axis);
  if (load<u8>(device.device + CONFIG_SIZE) < 8) return INPUT_POINTER_MAXIMUM;
  const maximum = load<u32>(device.device + CONFIG_UNION + 4);
  return maximum > 0 ? maximum : INPUT_POINTER_MAXIMUM;
}

function scale(value: u32, maximum: u32): u32 {
  return <u32>(<u64>min<u32>(value, maximum) * INPUT_POINTER_MAXIMUM / maximum);
}

/** The position goes out before anything that happens at it. */
function flushMotion(): void {
  if (!moved) return;
  input!.push(INPUT_POINTER, scale(x, maximumX), scale(y, maximumY), 0);
  moved = false;
}

function button(code: u32): u32 {
  if (code == BTN_LEFT) return INPUT_BUTTON_LEFT;
  if (code == BTN_RIGHT) return INPUT_BUTTON_RIGHT;
  if (code == BTN_MIDDLE) return INPUT_BUTTON_MIDDLE;
  return 0;
}

function translate(type: u32, code: u32, value: u32): void {
  if (type == EV_ABS && code == ABS_X) { x = value; moved = true; }
  else if (type == EV_ABS && code == ABS_Y) { y = value; moved = true; }
  else if (type == EV_SYN) flushMotion();
  else if (type == EV_KEY && button(code) != 0) {
    flushMotion();
    input!.push(INPUT_BUTTON, button(code), value != 0 ? INPUT_PRESSED : INPUT_RELEASED, 0);
  } else if (type == EV_REL && (code == REL_WHEEL || code == REL_HWHEEL)) {
    flushMotion();
    input!.push(INPUT_WHEEL, code == REL_WHEEL ? 0 : 1, value, 0);
  }
}

/**
 * Consumes every buffer the device filled since the last commit into the
 * working checkpoint, commits, and only then offers the buffers again.
 */
function drain(queue: Virtqueue): void {
  const tablet = state!;
  const used = queue.usedIndex;
  let taken = tablet.committed.taken;
  if (used == taken) return;
  const working = tablet.begin();
  input!.cursor = working.cursor;
  x = working.x; y = working.y; moved = working.moved;
  for (; taken != used; taken++) {
    const event = queue.filled(taken);
    translate(<u32>load<u16>(event), <u32>load<u16>(event + 2), load<u32>(event + 4));
  }
  working.events += <u32>(<u16>(used - working.taken));
  working.taken = taken;
  working.x = x; working.y = y; working.moved = moved;
  tablet.commit();
  queue.release(taken);
}

/** Maps the state object: the driver's state, or null (told on the console). */
function openState(): TabletState | null {
  const object = stateOpen(STATE_NAME, STATE_SIZE);
  if (object < 0) { log("state.open " + STATE_NAME + ": " + errorName(object)); return null; }
  const base = (heap.alloc(STATE_SIZE + 4096) + 4095) & ~(<usize>4095);
  const mapped = memoryMap(object, <u32>base, STATE_SIZE, MAP_WRITABLE);
  if (mapped < 0) { log("memory.map of the state object: " + errorName(mapped)); return null; }
  return new TabletState(base);
}

/** What the running instance serves and drives, once it took over. */
let queue: Virtqueue | null = null;
let device: VirtioDevice | null = null;
let interrupt: i32 = 0;
let retry: i32 = 0;
let retrying = false;
let instance: u32 = 0;

/** Hands the committed events on; what the compositor could not take is tried again on the retry timer. */
function send(): void {
  if (!input!.trySend() && !retrying && retry > 0) {
    timerSet(retry, RETRY_NANOSECONDS, 0);
    retrying = true;
  }
}

class Tablet extends TabletHandlers {
  status(reply: TabletStatusReply): i32 {
    const tablet = state!;
    reply.instance = instance;
    reply.starts = tablet.starts;
    reply.adoptions = tablet.adoptions;
    reply.events = tablet.committed.events;
    return 0;
  }

  pulse(pulse: Pulse): void {
    if (pulse.code == PULSE_INTERRUPT) {
      device!.takeInterrupt();
      drain(queue!);
      interruptUnmask(interrupt);
    } else if (pulse.code == PULSE_RETRY) {
      retrying = false;
    }
    send();
  }
}

export function _start(): void {
  instance = <u32>componentSelf();
  // What needs neither the state, the name nor the device's registers written is done first: a warm spare
  // does it before it stands by (the device's configuration and registers mapped, its channel and timer
  // made), so that its take-over does not.
  const pci = new PciDevice(VENDOR, DEVICE);
  const virtio = new VirtioDevice(pci);
  if (!virtio.open()) { log("cannot open the device: " + virtio.problem); return; }
  device = virtio;
  const channel = channelCreate(0);
  const connection = channel > 0 ? connectionCreate(channel) : channel;
  retry = connection > 0 ? timerCreate(connection, PULSE_RETRY, 0) : connection;
  if (connection < 0) { log("cannot make the driver's channel: error " + connection.toString()); return; }
  // As init's warm spare, this waits here until the running instance has ended: the queue it adopts is the
  // one its predecessor left.
  awaitTakeOver();
  state = openState();
  if (state == null) return;
  const tablet = state!;
  const size = min<u32>(QUEUE_SIZE, virtio.queueSize(EVENT_QUEUE));
  const rings = stateDma(QUEUE_STATE_NAME, Virtqueue.bytes(QUEUE_SIZE, EVENT_BYTES));
  if (rings < 0) { log("state.dma " + QUEUE_STATE_NAME + ": " + errorName(rings)); return; }
  const events = new Virtqueue(EVENT_QUEUE, size, EVENT_BYTES);
  if (size == 0 || !events.place(rings)) { log("cannot set up the event queue: " + events.problem); return; }
  queue = events;
  // The new instance's cursor (its id, sequence 1) and the queue's consumption are committed together.
  const working = tablet.begin();
  input = new InputClient(tablet.client, QUEUE_CAPACITY, working.cursor);
  const adopted = events.adopt(virtio, working.taken);
  if (!adopted) {
    const why = events.problem;
    if (virtio.negotiate(0) == 0) { log("cannot negotiate: " + virtio.problem); return; }
    events.open(virtio);
    working.taken = 0;
    working.moved = false;
    if (tablet.starts > 0) log("the device's queue was not adopted (" + why + "): device reset");
  }
  tablet.started(adopted);
  tablet.commit();
  maximumX = axisMaximum(virtio, ABS_X);
  maximumY = axisMaximum(virtio, ABS_Y);
  const enabled = pci.enable(PCI_ENABLE_BUS_MASTER);
  if (enabled < 0) { log("pci.enable: error " + enabled.toString()); return; }
  interrupt = pci.interrupt(connection, PULSE_INTERRUPT);
  if (interrupt < 0) { log("cannot attach the interrupt: error " + interrupt.toString()); return; }
  if (!adopted) virtio.ready();
  events.notify();
  const server = new Server(TABLET_PATH, channel);
  if (!server.isServing) { log("cannot serve " + TABLET_PATH + ": error " + server.error.toString()); return; }
  // The first start and a reset are told; a restart that adopted the queue is told by init's line, and every
  // line on COM1 is time the new instance does not serve.
  if (!adopted || tablet.starts == 1) {
    log((adopted ? "ready: adopted the event queue at used index " + tablet.committed.taken.toString() : "ready: event queue of " + size.toString())
      + ", line " + pci.interruptLine.toString() + " (" + tablet.starts.toString() + " starts, " + tablet.adoptions.toString() + " adoptions, "
      + tablet.committed.events.toString() + " device events)");
  }
  // What the device wrote while no instance ran, and what the last one took and did not hand on.
  drain(events);
  send();
  serveTablet(new Tablet(), server.channel, BUFFER_SIZE);
}
