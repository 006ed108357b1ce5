// The window protocol: how applications show windows through the compositor
// (desktop/compositor), which serves it. The client holds every window's
// session state, as every Delos client does: the window's pixels live in a
// memory object the client made (the compositor maps it read-only), and the
// window's declaration — the client's own window id, size, title, surface
// handle, content serial, the damaged rectangle and the last event it
// received — rides on the `show` request the client keeps pending with
// the compositor. The compositor answers it when it has events for the
// window (input, focus, close asked, resize asked) or when the client's wait
// runs out, and the client library (desktop/lib/window.ts) sends it again at
// once. When the compositor dies the pending send fails with DEAD_SERVER
// and the library's re-send to the next instance brings the window back,
// with no code of the application's.
//
// What the window manager decided (position, stacking, focus, minimized)
// lives in the compositor's state object, not in the declaration: a new
// instance puts each window back where it was when its declaration comes
// again. Events are numbered per window and kept in the state object until
// a declaration acknowledges them, so that none is lost or delivered twice
// across a restart of the compositor.

import type { Constant, Protocol, Record } from "../schema";

export const windowRecords: Record[] = [
  {
    name: "windowEvent", doc: "One event for a window, as the compositor delivers it in window.show's reply.",
    fields: [
      { name: "kind", type: "u32", doc: "WINDOW_EVENT_KEY, _POINTER, _BUTTON, _WHEEL, _FOCUS, _CLOSE or _RESIZE." },
      { name: "code", type: "u32", doc: "KEY: the USB HID usage; BUTTON: INPUT_BUTTON_*; WHEEL: 0 vertical, 1 horizontal; RESIZE: the width asked for; FOCUS: 1 focused, 0 not." },
      { name: "value", type: "u32", doc: "KEY, BUTTON: INPUT_RELEASED, INPUT_PRESSED or INPUT_REPEATED; WHEEL: the steps as an i32; RESIZE: the height asked for." },
      { name: "text", type: "u32", doc: "KEY: the character and modifiers, as inputEvent.text." },
      { name: "x", type: "i32", doc: "POINTER, BUTTON, WHEEL: the pointer's column in the window's content." },
      { name: "y", type: "i32", doc: "POINTER, BUTTON, WHEEL: the pointer's row in the window's content." },
    ],
  },
  {
    name: "windowInfo", doc: "One window as the compositor shows it (window.list's reply).",
    fields: [
      { name: "client", type: "u32", doc: "The client's component id." },
      { name: "window", type: "u32", doc: "The client's window id." },
      { name: "x", type: "i32", doc: "The content's left column on the screen." },
      { name: "y", type: "i32", doc: "The content's top row on the screen." },
      { name: "width", type: "u32", doc: "The content's width." },
      { name: "height", type: "u32", doc: "The content's height." },
      { name: "serial", type: "u32", doc: "The content serial of the declaration shown." },
      { name: "flags", type: "u32", doc: "WINDOW_FOCUSED, WINDOW_MINIMIZED, WINDOW_WAITING (its declaration is held: the client waits for events), WINDOW_SHOWN (its declaration came to this instance)." },
      { name: "layer", type: "u32", doc: "Its place in the stack, 0 at the bottom." },
      { name: "reserved", type: "u32", doc: "0." },
    ],
  },
];

export const windowConstants: Constant[] = [
  { name: "WINDOW_EVENT_KEY", value: 1, type: "u32", doc: "windowEvent kind: a key, while the window has the focus." },
  { name: "WINDOW_EVENT_POINTER", value: 2, type: "u32", doc: "windowEvent kind: the pointer moved over the focused window's content." },
  { name: "WINDOW_EVENT_BUTTON", value: 3, type: "u32", doc: "windowEvent kind: a button was pressed or released over the window's content." },
  { name: "WINDOW_EVENT_WHEEL", value: 4, type: "u32", doc: "windowEvent kind: the wheel turned while the window has the focus." },
  { name: "WINDOW_EVENT_FOCUS", value: 5, type: "u32", doc: "windowEvent kind: the window gained (code 1) or lost (code 0) the focus." },
  { name: "WINDOW_EVENT_CLOSE", value: 6, type: "u32", doc: "windowEvent kind: the user asked to close the window (its close button, Alt+F4); the client closes it or not." },
  { name: "WINDOW_EVENT_RESIZE", value: 7, type: "u32", doc: "windowEvent kind: the user asked for another size (code × value); the client declares it or not." },
  { name: "WINDOW_EVENTS_MAXIMUM", value: 32, type: "u32", doc: "The most events one reply carries, and the most the compositor keeps for a window." },
  { name: "WINDOW_TITLE_MAXIMUM", value: 128, type: "u32", doc: "The longest title in bytes of UTF-8; a longer one is cut." },
  { name: "WINDOW_SIZE_MAXIMUM", value: 4096, type: "u32", doc: "The largest width or height of a window's content." },
  { name: "WINDOW_WAIT_FOREVER", value: 0xffffffff, type: "u32", doc: "window.show's `wait`: answer only when there are events." },
  { name: "WINDOW_FOCUSED", value: 1, type: "u32", doc: "windowInfo flag: the window has the keyboard focus." },
  { name: "WINDOW_MINIMIZED", value: 2, type: "u32", doc: "windowInfo flag: the window is minimized (only its taskbar entry shows)." },
  { name: "WINDOW_WAITING", value: 4, type: "u32", doc: "windowInfo flag: the compositor holds the window's declaration (the client waits for events)." },
  { name: "WINDOW_SHOWN", value: 8, type: "u32", doc: "windowInfo flag: the window's declaration came to this instance, which shows its surface." },
  { name: "WINDOW_LIST_MAXIMUM", value: 32, type: "u32", doc: "The most windows the compositor shows at once." },
];

export const windowProtocols: Protocol[] = [
  {
    name: "window", path: "/desktop/window",
    doc: "Applications show windows through the compositor. Each window is declared by the request its client keeps pending (show); the compositor replies when it has events for it. Everything a restarted compositor needs to show the window again rides on that request.",
    messages: [
      {
        name: "show", operation: 1, idempotent: true,
        doc: "Shows or updates the window (client component, `window`) and waits for its events: the reply comes when the window has events after `acknowledged`, or after `wait` milliseconds. The surface is `width` × `height` pixels of 0x00RRGGBB, rows `width` × 4 bytes apart, from the memory object's start. A `serial` other than the one shown means the content changed inside the damage rectangle.",
        handle: { name: "surface", doc: "The window's pixels: a memory object with MAP, at least width × height × 4 bytes. The compositor maps it read-only, and keeps the mapping while `surfaceSerial` stays the same." },
        request: [
          { name: "window", type: "u32", doc: "The client's own id of the window (its windows differ by it)." },
          { name: "width", type: "u32", doc: "The content's width in pixels, 1..WINDOW_SIZE_MAXIMUM." },
          { name: "height", type: "u32", doc: "The content's height in pixels, 1..WINDOW_SIZE_MAXIMUM." },
          { name: "surfaceSerial", type: "u32", doc: "Changes whenever the client gives the window another memory object (a resize)." },
          { name: "serial", type: "u32", doc: "The content serial: the client counts it up after drawing." },
          { name: "damageX", type: "i32", doc: "The rectangle the content changed in since the last declaration the client made: left column." },
          { name: "damageY", type: "i32", doc: "Its top row." },
          { name: "damageWidth", type: "i32", doc: "Its width (0: nothing changed)." },
          { name: "damageHeight", type: "i32", doc: "Its height." },
          { name: "acknowledged", type: "u32", doc: "The sequence number of the last event of this window the client received (0: none)." },
          { name: "wait", type: "u32", doc: "Milliseconds to hold the request when there are no events (0: answer at once; WINDOW_WAIT_FOREVER: only with events)." },
          { name: "title", type: "bytes", doc: "The title, UTF-8, at most WINDOW_TITLE_MAXIMUM bytes." },
        ],
        reply: [
          { name: "first", type: "u32", doc: "The sequence number of the first event in `events` (events[i] has first + i)." },
          { name: "count", type: "u32", doc: "How many events follow." },
          { name: "events", type: "bytes", doc: "`count` windowEvent records." },
        ],
      },
      {
        name: "close", operation: 2, idempotent: true,
        doc: "Takes the window (client component, `window`) off the screen and forgets it; its pending show is answered with no events. Closing a window that is not shown does nothing.",
        request: [{ name: "window", type: "u32", doc: "The client's id of the window." }],
        reply: [],
      },
      {
        name: "list", operation: 3, idempotent: true,
        doc: "The windows the compositor knows, in the order of the taskbar's window list.",
        request: [],
        reply: [
          { name: "count", type: "u32", doc: "How many windowInfo records follow." },
          { name: "pointerX", type: "i32", doc: "The pointer's column." },
          { name: "pointerY", type: "i32", doc: "The pointer's row." },
          { name: "windows", type: "bytes", doc: "`count` windowInfo records." },
        ],
      },
      {
        name: "frame", operation: 4, idempotent: true,
        doc: "Grants the caller the composed frame: the compositor's back buffer as a memory object (read-only), for screenshots and tests.",
        request: [],
        reply: [
          { name: "memory", type: "u32", doc: "The memory object's handle in the caller's table (MAP only)." },
          { name: "width", type: "u32", doc: "The frame's width in pixels." },
          { name: "height", type: "u32", doc: "The frame's height in pixels." },
          { name: "stride", type: "u32", doc: "Bytes from one row to the next." },
          { name: "frames", type: "u32", doc: "How many times this instance composed damage so far." },
          { name: "instance", type: "u32", doc: "The compositor instance's component id." },
        ],
      },
      {
        name: "injectFault", operation: 5, idempotent: true,
        doc: "For tests of restarts, in the manner of littlefs's power-loss tests: the instance ends itself by a trap after it has handled `after` more messages of either protocol (the last one's changes made, its reply not sent); 0 takes the fault back. The count is not kept in the state object, so the next instance runs normally.",
        request: [{ name: "after", type: "u32", doc: "Messages to handle first (1: the next one)." }],
        reply: [],
      },
    ],
    errors: [
      { name: "BAD_SURFACE", code: 256, doc: "The declaration's memory object is missing, too small for width × height, or cannot be mapped." },
      { name: "TOO_MANY_WINDOWS", code: 257, doc: "The compositor shows WINDOW_LIST_MAXIMUM windows already." },
    ],
  },
];
