// The in-OS test of the PCI bus server: a client granted `device pci
// 1234:1111` (the std VGA) finds it, gets its configuration page read-only
// (the vendor and device read back through it, a writable mapping is
// refused) and its framebuffer BAR; the virtio tablet, which its rights do
// not name, is ACCESS_DENIED for every request; a function that does not
// exist is NO_DEVICE; and the server answers on.

import "../../sdk/lib/abort";
import {
  componentExit, handleClose, memoryMap, MAP_WRITABLE, ERROR_ACCESS_DENIED, PCI_ERROR_NO_DEVICE,
} from "../../ipc/generated/index";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { PciDevice } from "../lib/device/pci";
import { mapFresh } from "../lib/device/map";

export function _start(): void {
  const vga = new PciDevice(0x1234, 0x1111);
  expect(vga.find() == 0, "pci.find of the granted std VGA");
  log("std VGA at " + vga.location.toString(16) + " class " + vga.classCode.toString(16) + " BARs " + vga.bars.toString(2));
  expect((vga.classCode >>> 24) == 3 && (vga.bars & 1) != 0, "a display controller with memory BAR 0");
  const config = vga.config();
  expect(config > 0, "pci.config grants the configuration page");
  const page = mapFresh(config, 4096, true);
  expect(page != 0 && load<u32>(page) == (0x1234 | 0x1111 << 16), "the configuration page reads vendor and device");
  const writable = memory.grow(1);
  expect(memoryMap(config, <u32>(<usize>writable << 16), 4096, MAP_WRITABLE) == ERROR_ACCESS_DENIED, "the configuration page does not map writable");
  handleClose(config);
  const framebuffer = vga.bar(0);
  expect(framebuffer > 0 && vga.barBytes >= (4 << 20), "pci.bar 0 grants the framebuffer (" + vga.barBytes.toString() + " bytes)");
  handleClose(framebuffer);
  const tablet = new PciDevice(0x1af4, 0x1052);
  expect(tablet.find() == ERROR_ACCESS_DENIED && tablet.config() == ERROR_ACCESS_DENIED && tablet.bar(4) == ERROR_ACCESS_DENIED
    && tablet.enable(0) == ERROR_ACCESS_DENIED, "a device the rights do not name is ACCESS_DENIED");
  expect(new PciDevice(0x1234, 0x1111, 1).find() == PCI_ERROR_NO_DEVICE, "a second std VGA does not exist: NO_DEVICE");
  expect(vga.bar(5) == PCI_ERROR_NO_DEVICE, "a BAR the device does not have: NO_DEVICE");
  expect(vga.find() == 0, "the server answers on");
  componentExit(0);
}
