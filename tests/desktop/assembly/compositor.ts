// Test program for the compositor's window manager and scene
// (desktop/compositor), run in V8 by tests/desktop/compositor.test.ts: the
// host declares synthetic windows, feeds input events through the same
// function the compositor's input protocol calls, composes into a surface
// and reads back pixels, damage, the state object and the events queued for
// each window.

import { INPUT_EVENT_SIZE, InputEvent } from "../../../ipc/generated/abi";
import { Rect, Surface } from "../../../desktop/lib/surface";
import { Font } from "../../../desktop/lib/text";
import { LauncherEntry, WindowManager, pixelToPointer, pointerToPixel } from "../../../desktop/compositor/manager";
import { Scene } from "../../../desktop/compositor/scene";
import { STATE_SIZE, State } from "../../../desktop/compositor/state";

let font: Font | null = null;
let manager: WindowManager | null = null;
let scene: Scene | null = null;
let composed: Rect[] = [];

class Client { constructor(readonly pixels: usize, readonly width: i32, readonly height: i32, public serial: u32) {} }
const clients = new Map<u64, Client>();

export function allocate(bytes: u32): usize { return heap.alloc(bytes); }

export function openFont(data: usize, length: u32): i32 {
  font = Font.open(data, length);
  return font != null ? 1 : 0;
}

/** A window manager over the state object at `state` (0: a fresh zeroed one), composing into a new back buffer. */
export function setup(width: i32, height: i32, state: usize): usize {
  if (state == 0) {
    state = heap.alloc(STATE_SIZE);
    memory.fill(state, 0, STATE_SIZE);
  }
  const m = new WindowManager(new State(state), width, height);
  m.launcher.push(new LauncherEntry("Swatch", "apps/swatch.wasm"));
  manager = m;
  scene = new Scene(m, Surface.allocate(width, height), font);
  return state;
}

export function stateSize(): u32 { return STATE_SIZE; }
export function framePixels(): usize { return scene!.target.pixels; }

/** Declares a window of `width` × `height` filled with `colour`: its slot. */
export function declareWindow(client: u32, window: u32, width: i32, height: i32, title: string, colour: u32): i32 {
  const key = (<u64>client << 32) | <u64>window;
  let known = clients.has(key) ? clients.get(key) : null;
  if (known == null || known.width != width || known.height != height) {
    const surface = Surface.allocate(width, height);
    surface.fill(surface.bounds, colour);
    known = new Client(surface.pixels, width, height, 1);
    clients.set(key, known);
  }
  return manager!.declareWindow(client, window, width, height, title, known.pixels, known.serial, new Rect());
}

/** The client draws `colour` into part of its window and declares the new serial with that damage. */
export function draw(client: u32, window: u32, title: string, x: i32, y: i32, width: i32, height: i32, colour: u32): i32 {
  const known = clients.get((<u64>client << 32) | <u64>window);
  new Surface(known.pixels, known.width, known.height, known.width * 4).fill(new Rect(x, y, width, height), colour);
  known.serial++;
  return manager!.declareWindow(client, window, known.width, known.height, title, known.pixels, known.serial, new Rect(x, y, width, height));
}

export function close(slot: i32): void { manager!.close(slot); }
export function input(kind: u32, code: u32, value: u32, text: u32): void { manager!.input(kind, code, value, text); }
export function inputBatch(instance: u32, first: u32, events: usize, count: u32): i32 { return manager!.inputBatch(instance, first, events, count); }

/** inputBatch as a compositor killed before its commit runs it: `applied` of the events applied to the working copy, then nothing more. */
export function inputBatchKilled(instance: u32, first: u32, events: usize, count: u32, applied: u32): void {
  const s = manager!.state;
  s.begin();
  const skip = s.ledger.skip(instance, first, count);
  for (let i = <u32>max(skip, 0); i < min(count, applied); i++) {
    const event = changetype<InputEvent>(events + <usize>i * <usize>INPUT_EVENT_SIZE);
    manager!.input(event.kind, event.code, event.value, event.text);
  }
  s.ledger.record(instance, first + applied - 1);
}
export function toPointer(pixel: i32, size: i32): u32 { return pixelToPointer(pixel, size); }
export function toPixel(coordinate: u32, size: i32): i32 { return pointerToPixel(coordinate, size); }
export function setClock(text: string): void { manager!.setClock(text); }

/** Composes the damage: how many rectangles. */
export function compose(): i32 {
  composed = scene!.compose();
  return composed.length;
}
export function composedAt(index: i32, field: i32): i32 { return rectField(composed[index], field); }
export function damageCount(): i32 { return manager!.damage.rects.length; }
export function damageAt(index: i32, field: i32): i32 { return rectField(manager!.damage.rects[index], field); }
function rectField(rect: Rect, field: i32): i32 { return field == 0 ? rect.x : field == 1 ? rect.y : field == 2 ? rect.width : rect.height; }

export function windowField(slot: i32, field: i32): i32 {
  const s = manager!.state;
  return field == 0 ? s.x(slot) : field == 1 ? s.y(slot) : field == 2 ? s.width(slot) : field == 3 ? s.height(slot) : s.isMinimized(slot) ? 1 : 0;
}
export function focus(): i32 { return manager!.state.focus; }
export function stackCount(): i32 { return manager!.state.stackCount; }
export function stackAt(index: i32): i32 { return manager!.state.stackAt(index); }
export function pointerX(): i32 { return manager!.state.pointerX; }
export function pointerY(): i32 { return manager!.state.pointerY; }
export function menuOpen(): i32 { return manager!.state.menuOpen ? 1 : 0; }

/** The events kept for a slot: first sequence number, how many, and each record's address. */
export function firstEvent(slot: i32): u32 { return manager!.state.firstEvent(slot); }
export function eventCount(slot: i32): u32 { return manager!.state.nextEvent(slot) - manager!.state.firstEvent(slot); }
export function eventAddress(slot: i32, sequence: u32): usize { return manager!.state.eventAddress(slot, sequence); }
export function acknowledge(slot: i32, sequence: u32): void { manager!.state.acknowledge(slot, sequence); }

export function launchCount(): i32 { return manager!.launches.length; }
export function launchAt(index: i32): string { return manager!.launches[index]; }
