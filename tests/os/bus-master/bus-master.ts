// Asks the PCI bus server for bus mastering on the std VGA, sees it on in
// the function's command register, and ends with status 0 (a trap when it
// is not on). What it leaves behind is the PCI test's to check.

import "../../../sdk/lib/abort";
import { componentExit, handleClose, PCI_ENABLE_BUS_MASTER } from "../../../ipc/generated/index";
import { expect } from "../../../sdk/lib/test";
import { PciDevice } from "../../../drivers/lib/device/pci";
import { mapFresh } from "../../../drivers/lib/device/map";

/** The command register's offset and its bus master bit. */
const COMMAND: usize = 4;
const BUS_MASTER: u16 = 1 << 2;

export function _start(): void {
  const vga = new PciDevice(0x1234, 0x1111);
  expect(vga.find() == 0, "pci.find of the std VGA");
  expect(vga.enable(PCI_ENABLE_BUS_MASTER) == 0, "pci.enable with bus mastering");
  const config = vga.config();
  expect(config > 0, "pci.config");
  const page = mapFresh(config, 4096, true);
  expect(page != 0 && (load<u16>(page + COMMAND) & BUS_MASTER) != 0, "bus mastering is on while its driver runs");
  handleClose(config);
  componentExit(0);
}
