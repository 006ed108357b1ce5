// The device layer's protocols: the PCI bus server (drivers/pci), through
// which a driver gets the one device its supervisor granted it, and the
// display driver (drivers/display), which the compositor draws through.
// Both servers keep nothing of their clients: every request names what it
// is about, so a restarted server answers a re-sent request the same way.

import type { Constant, Protocol } from "../schema";

const vendor = { name: "vendor", type: "u32", doc: "The PCI vendor id (0x1af4)." } as const;
const device = { name: "device", type: "u32", doc: "The PCI device id (0x1052)." } as const;
const index = { name: "index", type: "u32", doc: "Which function of that vendor and device, 0 for the first in bus, slot, function order." } as const;

export const deviceConstants: Constant[] = [
  { name: "PCI_ENABLE_BUS_MASTER", value: 1, type: "u32", doc: "pci.enable flag: let the device master the bus (DMA) as well as answer in its memory BARs." },
  { name: "DISPLAY_BYTES_PER_PIXEL", value: 4, type: "u32", doc: "Every display mode has 32-bit pixels, 0x00RRGGBB in memory order B, G, R, X." },
];

export const deviceProtocols: Protocol[] = [
  {
    name: "pci", path: "/dev/pci",
    doc: "The PCI bus server hands a driver its device: the device's configuration page (read-only), its memory BARs and its interrupt line, each only to a client whose rights hold `device pci VENDOR:DEVICE` (msg.check_device), and nothing of any other device. It found the functions through ECAM (the ACPI MCFG) and sized their BARs once per boot, keeping the result in a state object, so a restarted bus server does not touch devices its drivers are using.",
    messages: [
      {
        name: "find", operation: 1, idempotent: true,
        doc: "Where the device is and what it has.",
        request: [vendor, device, index],
        reply: [
          { name: "location", type: "u32", doc: "bus << 8 | slot << 3 | function." },
          { name: "classCode", type: "u32", doc: "Class, subclass, programming interface and revision: configuration dword 2." },
          { name: "bars", type: "u32", doc: "Bit i set: BAR i is a memory BAR pci.bar can map." },
          { name: "line", type: "u32", doc: "The interrupt line (GSI) its INTx pin reaches, 0 when it has no pin." },
        ],
      },
      {
        name: "config", operation: 2, idempotent: true,
        doc: "Grants the function's 4 KiB configuration page (ECAM), read-only: capabilities and registers to read. Writes (command register) go through pci.enable, so that a driver cannot move its BARs over other memory.",
        request: [vendor, device, index],
        reply: [{ name: "handle", type: "u32", doc: "A memory object handle with MAP only, in the client's table." }],
      },
      {
        name: "bar", operation: 3, idempotent: true,
        doc: "Grants a memory object over one memory BAR (mapped uncached) and turns on the device's memory decoding.",
        request: [vendor, device, index, { name: "bar", type: "u32", doc: "0..5." }],
        reply: [
          { name: "handle", type: "u32", doc: "A memory object handle with MAP, WRITE, DUPLICATE and TRANSFER." },
          { name: "bytes", type: "u32", doc: "The BAR's size in bytes (what the object covers)." },
        ],
      },
      {
        name: "enable", operation: 4, idempotent: true,
        doc: "Turns on the device's memory decoding and, with PCI_ENABLE_BUS_MASTER, its DMA; leaves its interrupt pin on.",
        request: [vendor, device, index, { name: "flags", type: "u32", doc: "0 or PCI_ENABLE_BUS_MASTER." }],
        reply: [],
      },
      {
        name: "interrupt", operation: 5, idempotent: true,
        doc: "Attaches the device's INTx line (level-triggered, through the q35 PIRQ routing) to the transferred connection with the pulse code asked, and grants the client the interrupt's handle (CONTROL, for interrupt.unmask). ALREADY_EXISTS while an earlier handle of it is open.",
        handle: { name: "connection", doc: "A connection to the driver's channel, where the pulses go." },
        request: [vendor, device, index, { name: "code", type: "u32", doc: "The pulse code (0..PULSE_CODE_MAXIMUM)." }],
        reply: [
          { name: "handle", type: "u32", doc: "The interrupt's handle in the client's table." },
          { name: "line", type: "u32", doc: "The line (GSI)." },
        ],
      },
    ],
    errors: [
      { name: "NO_DEVICE", code: 256, doc: "No function with that vendor, device and index (or BAR) exists." },
      { name: "NOT_ENUMERATED", code: 257, doc: "The bus server could not read ECAM (no MCFG, or it cannot map it)." },
    ],
  },
  {
    name: "display", path: "/dev/display",
    doc: "The display driver: the screen's mode and its framebuffer. The compositor is its client. The framebuffer is the display's memory itself, granted as a memory object: the client maps it (writable) and draws; row y starts at byte y × pitch and holds `width` pixels of DISPLAY_BYTES_PER_PIXEL bytes. The driver keeps no state of its own beyond what the hardware holds, so a restarted driver adopts the mode and the picture as they are, and a client that re-sends display.mode after DEAD_SERVER gets the same answer and a handle to the same memory (its old mapping stays valid throughout).",
    messages: [
      {
        name: "mode", operation: 1, idempotent: true,
        doc: "The current mode, and the framebuffer granted to the client.",
        request: [],
        reply: [
          { name: "width", type: "u32", doc: "Pixels across." },
          { name: "height", type: "u32", doc: "Pixels down." },
          { name: "pitch", type: "u32", doc: "Bytes from one row to the next." },
          { name: "bytes", type: "u32", doc: "Bytes of the framebuffer object (at least pitch × height; map this many, or pitch × height rounded up to pages)." },
          { name: "handle", type: "u32", doc: "The framebuffer memory object in the client's table (MAP, WRITE, DUPLICATE, TRANSFER): one handle per request; close the handles you no longer need." },
        ],
      },
      {
        name: "setMode", operation: 2, idempotent: true,
        doc: "Sets a mode of display.modes. The picture is not cleared: what was in the framebuffer stays as bytes, read at the new pitch. Setting the current mode changes nothing.",
        request: [
          { name: "width", type: "u32", doc: "Pixels across." },
          { name: "height", type: "u32", doc: "Pixels down." },
        ],
        reply: [
          { name: "pitch", type: "u32", doc: "Bytes from one row to the next in the new mode." },
        ],
      },
      {
        name: "modes", operation: 3, idempotent: true,
        doc: "The index-th mode the driver offers (all at 32 bits per pixel), for listing: ask from 0 until NO_MODE.",
        request: [{ name: "index", type: "u32", doc: "0, 1, ..." }],
        reply: [
          { name: "width", type: "u32", doc: "Pixels across." },
          { name: "height", type: "u32", doc: "Pixels down." },
          { name: "count", type: "u32", doc: "How many modes there are." },
        ],
      },
    ],
    errors: [
      { name: "NO_MODE", code: 256, doc: "No such mode: the index is past the list, or setMode names a size the driver does not offer." },
    ],
  },
];
