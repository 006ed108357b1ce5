// The compositor's window manager and scene (desktop/compositor), compiled
// by asc and run in V8 (tests/desktop/assembly/compositor.ts) with synthetic
// windows and input: a drag moves a window exactly, clicks raise and focus,
// Alt+Tab cycles the focus, minimize and restore, close and resize ask the
// client, the launcher menu asks for a launch, damage covers what changed
// and no more, composed pixels lie where the layout says (the title's text
// pixel for pixel as sdk/host/glyph-atlas.ts lays it out), input is applied
// once per sequence number, and a state object saved and restored under a
// new instance gives the same frame.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { drawText, encodeGlyphAtlas, mixChannel, rasteriseGlyphAtlas } from "../../sdk/host/glyph-atlas";

const SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const STRING_ID = 2;
const W = 640, H = 480;

// The layout and constants the compositor uses (desktop/compositor/theme.ts, ipc/table/protocols).
const TITLE_HEIGHT = 22, BORDER = 4, TASKBAR_HEIGHT = 28, TITLE_MARGIN = 8;
const FRAME_FOCUSED = 0x2f6fb0, FRAME_UNFOCUSED = 0x5a6470, TITLE_TEXT = 0xffffff;
const INPUT_KEY = 1, INPUT_POINTER = 2, INPUT_BUTTON = 3, LEFT = 1, PRESSED = 1, RELEASED = 0, INPUT_ALT = 1 << 26;
const EVENT_KEY = 1, EVENT_BUTTON = 3, EVENT_FOCUS = 5, EVENT_CLOSE = 6, EVENT_RESIZE = 7;
const KEY_TAB = 0x2b, KEY_F4 = 0x3d, KEY_A = 0x04;
const SEQUENCE_GAP = -256;

interface Compositor {
  memory: WebAssembly.Memory;
  _initialize(): void;
  __new(size: number, id: number): number;
  __pin(pointer: number): number;
  allocate(bytes: number): number;
  openFont(data: number, length: number): number;
  setup(width: number, height: number, state: number): number;
  stateSize(): number;
  framePixels(): number;
  declareWindow(client: number, window: number, width: number, height: number, title: number, colour: number): number;
  draw(client: number, window: number, title: number, x: number, y: number, width: number, height: number, colour: number): number;
  close(slot: number): void;
  input(kind: number, code: number, value: number, text: number): void;
  inputBatch(instance: number, first: number, events: number, count: number): number;
  inputBatchKilled(instance: number, first: number, events: number, count: number, applied: number): void;
  toPointer(pixel: number, size: number): number;
  toPixel(coordinate: number, size: number): number;
  setClock(text: number): void;
  compose(): number;
  composedAt(index: number, field: number): number;
  damageCount(): number;
  damageAt(index: number, field: number): number;
  windowField(slot: number, field: number): number;
  focus(): number;
  stackCount(): number;
  stackAt(index: number): number;
  pointerX(): number;
  pointerY(): number;
  menuOpen(): number;
  firstEvent(slot: number): number;
  eventCount(slot: number): number;
  eventAddress(slot: number, sequence: number): number;
  acknowledge(slot: number, sequence: number): void;
  launchCount(): number;
  launchAt(index: number): number;
}

const atlas = (() => { let made: ReturnType<typeof rasteriseGlyphAtlas> | null = null; return () => (made ??= rasteriseGlyphAtlas({ font: SANS, size: 13 })); })();

function readString(c: Compositor, pointer: number): string {
  if (pointer === 0) return "";
  const bytes = new Uint32Array(c.memory.buffer, pointer - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(c.memory.buffer, pointer, bytes / 2));
}

/** A compositor instance in V8 with the 13 px DejaVu Sans atlas; `state`: bytes of a saved state object to start from. */
function load(state?: Uint8Array) {
  const module = new WebAssembly.Module(readFileSync(join(buildDir, "tests", "desktop-compositor.wasm")));
  const c = new WebAssembly.Instance(module, {
    env: {
      abort(message: number, file: number, line: number) {
        throw new Error(`compositor aborted: ${readString(c, message)} at ${readString(c, file)}:${line}`);
      },
    },
  }).exports as unknown as Compositor;
  c._initialize();
  const bytes = encodeGlyphAtlas(atlas());
  const at = c.allocate(bytes.length);
  new Uint8Array(c.memory.buffer, at, bytes.length).set(bytes);
  if (c.openFont(at, bytes.length) !== 1) throw new Error("the atlas did not open");
  let stateAt = 0;
  if (state) {
    stateAt = c.allocate(state.length);
    new Uint8Array(c.memory.buffer, stateAt, state.length).set(state);
  }
  stateAt = c.setup(W, H, stateAt);
  const text = (value: string) => {
    const pointer = c.__pin(c.__new(value.length * 2, STRING_ID));
    const units = new Uint16Array(c.memory.buffer, pointer, value.length);
    for (let i = 0; i < value.length; i++) units[i] = value.charCodeAt(i);
    return pointer;
  };
  const api = {
    c,
    declare: (client: number, window: number, width: number, height: number, title: string, colour: number) =>
      c.declareWindow(client, window, width, height, text(title), colour),
    draw: (client: number, window: number, title: string, x: number, y: number, width: number, height: number, colour: number) =>
      c.draw(client, window, text(title), x, y, width, height, colour),
    move: (x: number, y: number) => c.input(INPUT_POINTER, c.toPointer(x, W), c.toPointer(y, H), 0),
    press: (code = LEFT) => c.input(INPUT_BUTTON, code, PRESSED, 0),
    release: (code = LEFT) => c.input(INPUT_BUTTON, code, RELEASED, 0),
    click(x: number, y: number) { api.move(x, y); api.press(); api.release(); },
    key: (code: number, text = 0) => { c.input(INPUT_KEY, code, PRESSED, text); c.input(INPUT_KEY, code, RELEASED, text); },
    window: (slot: number) => ({ x: c.windowField(slot, 0), y: c.windowField(slot, 1), width: c.windowField(slot, 2), height: c.windowField(slot, 3), minimized: c.windowField(slot, 4) === 1 }),
    stack: () => [...Array(c.stackCount()).keys()].map((i) => c.stackAt(i)),
    frame: () => new Uint32Array(c.memory.buffer.slice(c.framePixels(), c.framePixels() + W * H * 4)),
    state: () => new Uint8Array(c.memory.buffer.slice(stateAt, stateAt + c.stateSize())),
    damage: () => [...Array(c.damageCount()).keys()].map((i) => [0, 1, 2, 3].map((f) => c.damageAt(i, f))),
    /** The events kept for a slot, as [kind, code, value, text, x, y], and forgets them. */
    events(slot: number) {
      const first = c.firstEvent(slot), count = c.eventCount(slot);
      const list: number[][] = [];
      for (let s = first; s < first + count; s++) list.push([...new Int32Array(c.memory.buffer, c.eventAddress(slot, s), 6)]);
      c.acknowledge(slot, first + count - 1);
      return list;
    },
    setClock: (value: string) => c.setClock(text(value)),
  };
  return api;
}

type Api = ReturnType<typeof load>;

/** The title bar's top-left for content at (x, y): where the title text's line starts. */
function expectedTitle(a: Api, slot: number, title: string, focused: boolean): number {
  const { x, y } = a.window(slot);
  const laid = drawText(atlas(), title);
  const top = y - TITLE_HEIGHT + Math.trunc((TITLE_HEIGHT - atlas().lineHeight) / 2);
  const left = x + TITLE_MARGIN;
  const background = focused ? FRAME_FOCUSED : FRAME_UNFOCUSED;
  const frame = a.frame();
  let wrong = 0;
  for (let row = 0; row < laid.height; row++) {
    for (let column = 0; column < laid.width; column++) {
      const coverage = laid.coverage[row * laid.width + column]!;
      const channel = (shift: number) => mixChannel((TITLE_TEXT >> shift) & 255, (background >> shift) & 255, coverage) << shift;
      const expected = coverage === 0 ? background : channel(16) | channel(8) | channel(0);
      if (frame[(top + row) * W + left + column] !== expected) wrong++;
    }
  }
  return wrong;
}

export function register(test: TestFunction): void {
  test("a window is composed where the layout puts it, its title exactly as the host lays it out", (t) => {
    const a = load();
    const slot = a.declare(7, 1, 200, 120, "Delos window", 0x336699);
    t.eq([slot, a.c.focus(), a.stack()], [0, 0, [0]], "a new window takes a slot, the top of the stack and the focus");
    t.eq(a.window(slot), { x: 48, y: 56, width: 200, height: 120, minimized: false }, "placed at the cascade's start");
    a.c.compose();
    const frame = a.frame();
    const at = (x: number, y: number) => frame[y * W + x];
    t.eq([at(48, 56), at(247, 175), at(48 + 100, 56 + 60)], [0x336699, 0x336699, 0x336699], "content corners and middle");
    t.eq([at(47, 56), at(248, 175), at(48 - BORDER, 56), at(100, 56 + 120 + 3)], [FRAME_FOCUSED, FRAME_FOCUSED, FRAME_FOCUSED, FRAME_FOCUSED], "the border around it");
    t.ok(at(48 - BORDER - 1, 56) !== FRAME_FOCUSED && at(100, 56 + 120 + BORDER) !== FRAME_FOCUSED, "nothing of the window past its border");
    t.eq(expectedTitle(a, slot, "Delos window", true), 0, "every pixel of the title as glyph-atlas.ts lays it out");
    t.eq(at(10, H - TASKBAR_HEIGHT + 1) !== at(10, H - TASKBAR_HEIGHT - 1), true, "the taskbar at the bottom");
  });

  test("a title-bar drag moves the window exactly; damage is the old and new place, not the screen", (t) => {
    const a = load();
    const slot = a.declare(7, 1, 200, 120, "Mover", 0x884422);
    a.c.compose();
    a.move(100, 40);
    a.press();
    a.c.compose();
    for (let step = 1; step <= 10; step++) a.move(100 + step * 23, 40 + step * 17);
    t.eq(a.window(slot), { x: 48 + 230, y: 56 + 170, width: 200, height: 120, minimized: false }, "moved by the pointer's travel");
    const damage = a.damage();
    const area = damage.reduce((sum, r) => sum + r[2]! * r[3]!, 0);
    t.ok(area < W * H / 2, `damage ${JSON.stringify(damage)} is the window's two places, not the screen`);
    a.c.compose();
    a.release();
    a.move(10, 10);
    a.c.compose();
    const frame = a.frame();
    t.eq([frame[(56 + 170) * W + 48 + 230], frame[(56 + 170 + 119) * W + 48 + 230 + 199]], [0x884422, 0x884422], "the content at its new place");
    t.ok(frame[(56 + 10) * W + 60] !== 0x884422, "and not at its old one");
    const fresh = load(a.state());
    fresh.declare(7, 1, 200, 120, "Mover", 0x884422);
    fresh.c.compose();
    t.eq(fresh.frame().every((v, i) => v === frame[i]), true, "a full composition of the same scene gives the same pixels (only damage was recomposed)");
  });

  test("damage: a content update damages its rectangle on the screen, the pointer its arrow's two places", (t) => {
    const a = load();
    const slot = a.declare(3, 9, 160, 100, "Damage", 0x101010);
    a.c.compose();
    a.draw(3, 9, "Damage", 10, 20, 5, 6, 0xff00ff);
    const { x, y } = a.window(slot);
    t.eq(a.damage(), [[x + 10, y + 20, 5, 6]], "exactly the drawn rectangle");
    a.c.compose();
    t.eq(a.frame()[(y + 20) * W + x + 10], 0xff00ff, "and its pixels are on the screen");
    a.move(400, 300);
    a.c.compose();
    a.move(500, 200);
    t.eq(a.damage(), [[400, 300, 11, 17], [500, 200, 11, 17]], "the arrow's old and new rectangles");
    a.c.compose();
    a.draw(3, 9, "Damage", 150, 90, 40, 40, 0x00ff00);
    t.eq(a.damage(), [[x + 150, y + 90, 10, 10]], "cut to the window's content");
  });

  test("clicks raise and focus; buttons and keys go to the focused window with content coordinates", (t) => {
    const a = load();
    const first = a.declare(1, 1, 200, 150, "First", 0x111111);
    const second = a.declare(2, 1, 200, 150, "Second", 0x222222);
    t.eq([a.stack(), a.c.focus()], [[first, second], second], "the second on top, focused");
    t.eq(a.events(first).map((e) => [e[0], e[1]]), [[EVENT_FOCUS, 1], [EVENT_FOCUS, 0]], "the first was focused, then not");
    a.events(second);
    const w = a.window(first);
    a.click(w.x + 5, w.y + 7);
    t.eq([a.stack(), a.c.focus()], [[second, first], first], "a click on the first's content raises and focuses it");
    t.eq(a.events(first), [[EVENT_FOCUS, 1, 0, 0, 0, 0], [EVENT_BUTTON, LEFT, PRESSED, 0, 5, 7], [EVENT_BUTTON, LEFT, RELEASED, 0, 5, 7]], "focus, press, release at (5, 7)");
    t.eq(a.events(second).map((e) => [e[0], e[1]]), [[EVENT_FOCUS, 0]], "the second lost the focus");
    a.key(KEY_A, 0x61);
    t.eq(a.events(first).map((e) => e.slice(0, 4)), [[EVENT_KEY, KEY_A, PRESSED, 0x61], [EVENT_KEY, KEY_A, RELEASED, 0x61]], "keys go to the focused window");
    t.eq(a.events(second), [], "and only to it");
    a.c.compose();
    t.eq(expectedTitle(a, first, "First", true), 0, "the focused window's title bar in the focused colour");
    const s = a.window(second);
    a.click(s.x + 150, s.y + 140);
    a.c.compose();
    t.eq([a.c.focus(), expectedTitle(a, first, "First", false)], [second, 0], "and in the unfocused colour once the other is clicked");
  });

  test("Alt+Tab brings the lowest window up and focuses it, in turn; Alt+F4 asks the focused one to close", (t) => {
    const a = load();
    const slots = [a.declare(1, 1, 100, 80, "A", 1), a.declare(1, 2, 100, 80, "B", 2), a.declare(1, 3, 100, 80, "C", 3)];
    const order: number[] = [];
    for (let i = 0; i < 4; i++) { a.key(KEY_TAB, INPUT_ALT); order.push(a.c.focus()); }
    t.eq(order, [slots[0], slots[1], slots[2], slots[0]], "each window in turn");
    t.eq(a.stack()[2], slots[0], "the focused one on top");
    for (const s of slots) a.events(s);
    a.key(KEY_F4, INPUT_ALT);
    t.eq(a.events(slots[0]!).map((e) => e[0]), [EVENT_CLOSE], "close asked of the focused window");
    a.c.close(slots[0]!);
    t.eq([a.stack(), a.c.focus()], [[slots[1], slots[2]], slots[2]], "closed: the topmost remaining takes the focus");
  });

  test("minimize by its button, restore from the taskbar; close and resize are asked of the client", (t) => {
    const a = load();
    const one = a.declare(5, 1, 240, 140, "One", 0x445566);
    const two = a.declare(5, 2, 240, 140, "Two", 0x665544);
    a.events(one); a.events(two);
    let w = a.window(two);
    // The minimize button: left of the close button at the title bar's right end.
    a.click(w.x + w.width - 18 - 2 - 4 - 9, w.y - 11);
    t.eq([a.window(two).minimized, a.c.focus()], [true, one], "minimized; the focus goes to the other");
    a.c.compose();
    t.eq(a.frame()[(w.y + 100) * W + w.x + 100], 0x445566, "the window below shows where it was");
    // Its taskbar entry: the second, after the launcher.
    a.click(2 + 64 + 8 + 154 + 20, H - 14);
    t.eq([a.window(two).minimized, a.c.focus(), a.stack()[1]], [false, two, two], "restored, focused and raised from the taskbar");
    a.events(one); a.events(two);
    a.click(w.x + w.width - 2 - 9, w.y - 11);
    t.eq(a.events(two).map((e) => e[0]), [EVENT_CLOSE], "the close button asks the client");
    t.eq(a.stack().length, 2, "and closes nothing by itself");
    w = a.window(two);
    const corner = { x: w.x + w.width + BORDER - 3, y: w.y + w.height + BORDER - 3 };
    a.move(corner.x, corner.y);
    a.press();
    a.move(corner.x + 60, corner.y + 25);
    t.eq(a.window(two).width, 240, "the size stays the client's while the outline follows the pointer");
    a.release();
    t.eq(a.events(two).filter((e) => e[0] === EVENT_RESIZE).map((e) => [e[1], e[2]]), [[300, 165]], "the release asks for 300 × 165");
  });

  test("the launcher menu opens and asks for a launch; the clock is damaged only when it changes", (t) => {
    const a = load();
    a.c.compose();
    a.click(20, H - 14);
    t.eq(a.c.menuOpen(), 1, "the launcher opens the menu");
    a.c.compose();
    // The menu's only item, right above the taskbar.
    a.click(40, H - TASKBAR_HEIGHT - 14);
    t.eq([a.c.menuOpen(), a.c.launchCount(), readString(a.c, a.c.launchAt(0))], [0, 1, "apps/swatch.wasm"], "its item asks for apps/swatch.wasm");
    a.c.compose();
    a.setClock("up 0:00:05");
    t.eq(a.damage(), [[W - 96 - 2, H - 26, 96, 24]], "a new clock text damages the clock");
    a.c.compose();
    a.setClock("up 0:00:05");
    t.eq(a.damage(), [], "the same text damages nothing");
  });

  test("input is applied once per sequence number, and a gap is refused", (t) => {
    const a = load();
    const events = a.c.allocate(16 * 3);
    const view = new Uint32Array(a.c.memory.buffer, events, 12);
    [[INPUT_POINTER, a.c.toPointer(10, W), a.c.toPointer(20, H), 0], [INPUT_POINTER, a.c.toPointer(30, W), a.c.toPointer(40, H), 0],
      [INPUT_POINTER, a.c.toPointer(50, W), a.c.toPointer(60, H), 0]].forEach((e, i) => view.set(e, i * 4));
    t.eq(a.c.inputBatch(77, 1, events, 2), 2, "two events applied");
    t.eq([a.c.pointerX(), a.c.pointerY()], [30, 40], "the pointer where the second put it");
    a.move(300, 300);
    t.eq(a.c.inputBatch(77, 1, events, 2), 2, "the same batch again applies nothing");
    t.eq([a.c.pointerX(), a.c.pointerY()], [300, 300], "the pointer stays");
    t.eq(a.c.inputBatch(77, 2, events + 16, 2), 3, "from 2: only the third is new");
    t.eq([a.c.pointerX(), a.c.pointerY()], [50, 60], "applied");
    t.eq(a.c.inputBatch(77, 5, events, 1), SEQUENCE_GAP, "a gap is refused");
    t.eq(a.c.inputBatch(78, 2, events, 1), SEQUENCE_GAP, "a new instance starts at 1");
    const restored = load(a.state());
    t.eq(restored.c.inputBatch(77, 1, events, 3), 3, "a new compositor instance knows what was applied");
    t.eq([restored.c.pointerX(), restored.c.pointerY()], [50, 60], "and applies nothing twice");

    // Killed between applying events and committing them: the next instance sees neither the effects nor the count.
    const twoMoves = (x: ReturnType<typeof load>) => {
      const at = x.c.allocate(16 * 2);
      new Uint32Array(x.c.memory.buffer, at, 8).set([INPUT_POINTER, x.c.toPointer(70, W), x.c.toPointer(80, H), 0, INPUT_POINTER, x.c.toPointer(90, W), x.c.toPointer(100, H), 0]);
      return at;
    };
    const fresh = load();
    fresh.c.inputBatchKilled(79, 1, twoMoves(fresh), 2, 2);
    t.eq([fresh.c.pointerX(), fresh.c.pointerY()], [90, 100], "the killed instance had applied both to its working copy");
    const afterKill = load(fresh.state());
    t.eq([afterKill.c.pointerX(), afterKill.c.pointerY()], [W / 2, H / 2], "the next instance finds the pointer where it was before the batch");
    t.eq(afterKill.c.inputBatch(79, 1, twoMoves(afterKill), 2), 2, "the re-sent batch is applied");
    t.eq([afterKill.c.pointerX(), afterKill.c.pointerY()], [90, 100], "once, to the end");
    const later = load(afterKill.state());
    later.move(5, 5);
    t.eq(later.c.inputBatch(79, 1, twoMoves(later), 2), 2, "a later instance knows it applied");
    t.eq([later.c.pointerX(), later.c.pointerY()], [5, 5], "and applies it no more");
    let exact = true;
    for (const size of [640, 1024, 1280, 768, 800, 480]) {
      for (let p = 0; p < size; p++) if (a.c.toPixel(a.c.toPointer(p, size), size) !== p) exact = false;
    }
    t.ok(exact, "every pixel is reachable by its pointer coordinate");
  });

  test("a saved state object restored under a new instance gives the same scene once the clients declare again", (t) => {
    const a = load();
    const slots = [a.declare(4, 1, 220, 130, "Alpha", 0x204080), a.declare(6, 1, 180, 160, "Beta", 0x802040), a.declare(6, 2, 150, 90, "Gamma", 0x408020)];
    a.click(a.window(slots[0]!).x + 50, a.window(slots[0]!).y - 10);
    a.move(300, 200); a.press(); a.move(360, 250); a.release();
    const g = a.window(slots[2]!);
    a.click(g.x + g.width - 18 - 2 - 4 - 9, g.y - 11);
    a.draw(6, 1, "Beta", 0, 0, 30, 30, 0xffffff);
    a.c.compose();
    const before = a.frame();
    const restored = load(a.state());
    // The clients come back in another order, as their re-sends reach the new instance.
    restored.declare(6, 2, 150, 90, "Gamma", 0x408020);
    restored.declare(6, 1, 180, 160, "Beta", 0x802040);
    restored.draw(6, 1, "Beta", 0, 0, 30, 30, 0xffffff);
    restored.declare(4, 1, 220, 130, "Alpha", 0x204080);
    t.eq([restored.stack(), restored.c.focus(), slots.map((s) => restored.window(s))], [a.stack(), a.c.focus(), slots.map((s) => a.window(s))],
      "stacking, focus, places and minimized as they were");
    restored.c.compose();
    const after = restored.frame();
    let differ = 0;
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) differ++;
    t.eq(differ, 0, "every pixel of the frame the same");
  });
}
