// A window of an application, the client side of the window protocol
// (ipc/table/protocols/window.ts). The window's pixels live in a memory
// object this library makes and maps into the application's memory; the
// application draws into `surface`, says what it changed (`changed`), and
// calls `show`, which sends the window's declaration — id, size, title,
// surface, content serial, damage, the last event received — and waits for
// the compositor's reply with the window's events. The compositor keeps
// nothing of the window that a restart would lose: when it dies, the
// pending send fails with DEAD_SERVER and NamedConnection re-sends the same
// declaration to the next instance, which shows the window again where its
// state object says it was. The application sees only the events.

import {
  Handle, handleClose, handleDuplicate, memoryCreate, memoryMap, memoryUnmap,
} from "../../ipc/generated/system";
import {
  IOVEC_SIZE, Iovec, MAP_WRITABLE, PAGE_SIZE, RIGHT_MAP, RIGHT_TRANSFER, WINDOW_EVENTS_MAXIMUM, WINDOW_EVENT_SIZE,
  WINDOW_SIZE_MAXIMUM, WINDOW_TITLE_MAXIMUM, WindowEvent, ERROR_INVALID_ARGUMENT, ERROR_DEAD_SERVER,
} from "../../ipc/generated/abi";
import {
  WINDOW_CLOSE, WINDOW_CLOSE_REQUEST_SIZE, WINDOW_PATH, WINDOW_SHOW, WINDOW_SHOW_REPLY_EVENTS, WINDOW_SHOW_REPLY_SIZE,
  WINDOW_SHOW_REQUEST_SIZE, WindowCloseRequest, WindowShowReply, WindowShowRequest,
} from "../../ipc/generated/protocols/window";
import { NamedConnection } from "../../ipc/client/named-connection";
import { Rect, Surface } from "./surface";

/** Rounds of the connection's re-sends a declaration goes through before show gives DEAD_SERVER up to the app. */
const RESHOW_LIMIT: i32 = 64;
const REPLY_BYTES: u32 = WINDOW_SHOW_REPLY_EVENTS + WINDOW_EVENTS_MAXIMUM * WINDOW_EVENT_SIZE;

/** One connection to the compositor for all windows of a component: each window's `show` is a send of its own. */
let compositor: NamedConnection | null = null;

/** The connection to the compositor, by name, shared by the component's windows. */
export function compositorConnection(): NamedConnection {
  if (compositor == null) compositor = new NamedConnection(WINDOW_PATH);
  return compositor!;
}

export class Window {
  /** What the application draws on: width × height pixels, 0x00RRGGBB. */
  surface: Surface = new Surface(0, 0, 0, 0);
  /** The memory object holding the pixels, and the handle the compositor is given (MAP and TRANSFER only). */
  private memory: Handle = 0;
  private shared: Handle = 0;
  private region: usize = 0;
  private mappedBytes: u32 = 0;
  /** A surface replaced by a resize, closed once the compositor has the new one. */
  private retired: Handle = 0;
  private surfaceSerial: u32 = 0;
  /** The content serial: counted up by `changed`. */
  serial: u32 = 1;
  private damage: Rect = new Rect();
  /** The sequence number of the last event received. */
  acknowledged: u32 = 0;
  private titleBytes: ArrayBuffer;
  private readonly request: usize = heap.alloc(WINDOW_SHOW_REQUEST_SIZE);
  private readonly reply: usize = heap.alloc(REPLY_BYTES);
  private readonly iovecs: usize = heap.alloc(3 * IOVEC_SIZE);
  /** Events the last `show` brought. */
  count: u32 = 0;
  /** The last error of making or mapping the surface (0: none). */
  error: i32 = 0;

  /** A window of `width` × `height` pixels (black until drawn), with the client's own `id`. */
  constructor(readonly id: u32, width: i32, height: i32, title: string) {
    this.titleBytes = String.UTF8.encode(title);
    this.error = this.makeSurface(width, height);
  }

  get width(): i32 { return this.surface.width; }
  get height(): i32 { return this.surface.height; }

  set title(title: string) {
    this.titleBytes = String.UTF8.encode(title);
    this.changed(new Rect());
  }

  /** Says the content changed inside `rect` (in the window's coordinates). */
  changed(rect: Rect): void {
    this.damage = this.damage.union(rect.intersection(this.surface.bounds));
    this.serial++;
  }

  /** The whole content changed. */
  changedAll(): void { this.changed(this.surface.bounds); }

  /**
   * Gives the window another size: a new, black surface (the application
   * draws it again); the compositor gets it with the next `show`. 0, or an
   * error (the window keeps its old surface).
   */
  resize(width: i32, height: i32): i32 {
    const old = this.memory, oldShared = this.shared, oldRegion = this.region, oldBytes = this.mappedBytes;
    const oldSurface = this.surface;
    const result = this.makeSurface(width, height);
    if (result < 0) {
      this.memory = old; this.shared = oldShared; this.region = oldRegion; this.mappedBytes = oldBytes; this.surface = oldSurface;
      return result;
    }
    memoryUnmap(<u32>alignUp(oldRegion), oldBytes);
    heap.free(oldRegion);
    handleClose(old);
    if (this.retired != 0) handleClose(this.retired);
    this.retired = oldShared;
    this.changedAll();
    return 0;
  }

  /**
   * Sends the window's declaration and waits, at most `wait` milliseconds
   * (WINDOW_WAIT_FOREVER: until there are events), for its events: how many
   * came (`event(i)` reads them), or an error.
   */
  show(wait: u32): i32 {
    if (this.error < 0) return this.error;
    const request = changetype<WindowShowRequest>(this.request);
    request.operation = WINDOW_SHOW;
    request.window = this.id;
    request.width = <u32>this.surface.width;
    request.height = <u32>this.surface.height;
    request.surfaceSerial = this.surfaceSerial;
    request.serial = this.serial;
    request.damageX = this.damage.x;
    request.damageY = this.damage.y;
    request.damageWidth = this.damage.width;
    request.damageHeight = this.damage.height;
    request.acknowledged = this.acknowledged;
    request.wait = wait;
    const titleLength = min<u32>(<u32>this.titleBytes.byteLength, WINDOW_TITLE_MAXIMUM);
    setIovec(this.iovecs, 0, this.request, WINDOW_SHOW_REQUEST_SIZE);
    setIovec(this.iovecs, 1, changetype<usize>(this.titleBytes), titleLength);
    setIovec(this.iovecs, 2, this.reply, REPLY_BYTES);
    // A held declaration outlives every compositor instance that held it: the connection re-sends it after
    // each death up to its limit, which counts instances killed while holding it, not killed by it; so it goes
    // again, up to RESHOW_LIMIT times the connection's limit.
    let result = ERROR_DEAD_SERVER;
    for (let round = 0; round < RESHOW_LIMIT && result == ERROR_DEAD_SERVER; round++) {
      result = compositorConnection().sendv(this.iovecs, 2, this.iovecs + 2 * IOVEC_SIZE, 1, this.shared);
    }
    this.count = 0;
    if (result < 0) return result;
    // The compositor has the declaration: the damage is shown, a surface replaced by a resize is no longer needed.
    this.damage = new Rect();
    if (this.retired != 0) { handleClose(this.retired); this.retired = 0; }
    const reply = changetype<WindowShowReply>(this.reply);
    const count = min<u32>(reply.count, WINDOW_EVENTS_MAXIMUM);
    // Events already received (a reply repeated after a restart) are skipped.
    let skip: u32 = 0;
    if (count > 0 && reply.first <= this.acknowledged) skip = min<u32>(this.acknowledged - reply.first + 1, count);
    if (skip > 0) memory.copy(this.reply + WINDOW_SHOW_REPLY_EVENTS, this.reply + WINDOW_SHOW_REPLY_EVENTS + skip * WINDOW_EVENT_SIZE, (count - skip) * WINDOW_EVENT_SIZE);
    this.count = count - skip;
    if (this.count > 0) this.acknowledged = reply.first + count - 1;
    return <i32>this.count;
  }

  /** The `index`th event of the last `show`. */
  event(index: u32): WindowEvent {
    return changetype<WindowEvent>(this.reply + WINDOW_SHOW_REPLY_EVENTS + <usize>index * WINDOW_EVENT_SIZE);
  }

  /** Takes the window off the screen and frees its surface. */
  close(): i32 {
    const request = changetype<WindowCloseRequest>(heap.alloc(WINDOW_CLOSE_REQUEST_SIZE));
    request.operation = WINDOW_CLOSE;
    request.window = this.id;
    const result = compositorConnection().send(changetype<usize>(request), WINDOW_CLOSE_REQUEST_SIZE, 0, 0);
    heap.free(changetype<usize>(request));
    if (this.memory != 0) {
      memoryUnmap(<u32>alignUp(this.region), this.mappedBytes);
      heap.free(this.region);
      handleClose(this.memory);
      handleClose(this.shared);
      this.memory = 0;
    }
    return result;
  }

  /** Makes and maps a memory object for width × height pixels: 0 or an error. */
  private makeSurface(width: i32, height: i32): i32 {
    if (width < 1 || height < 1 || width > <i32>WINDOW_SIZE_MAXIMUM || height > <i32>WINDOW_SIZE_MAXIMUM) return ERROR_INVALID_ARGUMENT;
    const bytes = <u32>alignUp(<usize>width * <usize>height * 4);
    const memory = memoryCreate(bytes);
    if (memory < 0) return memory;
    const shared = handleDuplicate(memory, RIGHT_MAP | RIGHT_TRANSFER);
    if (shared < 0) { handleClose(memory); return shared; }
    const region = heap.alloc(<usize>bytes + <usize>PAGE_SIZE);
    const mapped = memoryMap(memory, <u32>alignUp(region), bytes, MAP_WRITABLE);
    if (mapped < 0) { heap.free(region); handleClose(shared); handleClose(memory); return mapped; }
    this.memory = memory;
    this.shared = shared;
    this.region = region;
    this.mappedBytes = bytes;
    this.surface = new Surface(alignUp(region), width, height, width * 4);
    this.surfaceSerial++;
    return 0;
  }
}

function alignUp(address: usize): usize {
  return (address + <usize>PAGE_SIZE - 1) & ~(<usize>PAGE_SIZE - 1);
}

function setIovec(iovecs: usize, index: u32, address: usize, length: u32): void {
  const iovec = changetype<Iovec>(iovecs + <usize>index * IOVEC_SIZE);
  iovec.address = <u32>address;
  iovec.length = length;
}
