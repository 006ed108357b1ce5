// The in-OS test of the PCI bus server: a client granted `device pci
// 1234:1111` (the std VGA) finds it, gets its configuration page read-only
// (the vendor and device read back through it, a writable mapping is
// refused) and its framebuffer BAR; the virtio tablet, which its rights do
// not name, is ACCESS_DENIED for every request; a function that does not
// exist is NO_DEVICE; bus mastering is refused to a client without `dma`;
// a driver that had it on (tests/os/bus-master) leaves it off when it
// ends, turned off by the kernel; one whose identity keeps its DMA memory
// (tests/os/bus-master-kept) leaves it on, until an instance makes memory
// no state name keeps or deletes the kept memory; and the server answers
// on.

import "../../sdk/lib/abort";
import {
  componentExit, handleClose, memoryMap, threadSleep, MAP_WRITABLE, ERROR_ACCESS_DENIED, PCI_ENABLE_BUS_MASTER, PCI_ERROR_NO_DEVICE,
} from "../../ipc/generated/index";
import { connectInit, initStart, initStatus, initStatusReply } from "../../tests/os/runner/init-client";
import { expect } from "../../sdk/lib/test";
import { log } from "../../sdk/lib/log";
import { PciDevice } from "../lib/device/pci";
import { mapFresh } from "../lib/device/map";

/** The command register's offset in the configuration page, and its bus master bit. */
const COMMAND: usize = 4;
const BUS_MASTER: u16 = 1 << 2;

/** Has init start `name` and waits for its end, which must be an exit without a trap. */
function runToItsEnd(name: string): void {
  expect(initStart(name) > 0, "init starts " + name);
  for (let waited = 0; ; waited++) {
    expect(initStatus(name) == 0, "init's status of " + name);
    if (initStatusReply.component == 0) break;
    expect(waited < 500, name + " ends within 5 s");
    threadSleep(10_000_000);
  }
  expect(initStatusReply.trap == 0, name + " saw what it expected and exited (trap " + initStatusReply.trap.toString() + ")");
}

/** tests/os/bus-master turns bus mastering on for the VGA and ends: afterwards it is off (`page`: the VGA's configuration page, mapped). */
function busMasterEndsWithItsDriver(page: usize): void {
  expect(connectInit() > 0, "connects to init");
  runToItsEnd("bus-master");
  expect((load<u16>(page + COMMAND) & BUS_MASTER) == 0, "bus mastering is off once its driver ended");
}

/** tests/os/bus-master-kept, started four times (its steps): bus mastering on, off, on, off after each end. */
function busMasterKeptForItsIdentity(page: usize): void {
  const after: bool[] = [true, false, true, false];
  const why: string[] = [
    "stays on after a driver whose only DMA memory is kept for its identity",
    "is off after an instance that made DMA memory no state name keeps",
    "stays on again after an instance that claimed it with only kept memory",
    "is off once the identity deleted its kept memory",
  ];
  for (let step = 0; step < after.length; step++) {
    runToItsEnd("bus-master-kept");
    expect(((load<u16>(page + COMMAND) & BUS_MASTER) != 0) == after[step], "bus mastering " + why[step]);
  }
}

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
  expect(vga.enable(PCI_ENABLE_BUS_MASTER) == ERROR_ACCESS_DENIED, "bus mastering is refused without `dma` in the rights");
  busMasterEndsWithItsDriver(page);
  busMasterKeptForItsIdentity(page);
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
