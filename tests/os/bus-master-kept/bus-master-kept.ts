// The kernel's rule for a driver whose DMA memory outlives it
// (kernel/object/bus-master.ts), one step per start: the step number lives
// in the DMA state object itself, and each start does the next one and
// ends with status 0 (1 when what it sees is wrong). The PCI test
// (drivers/pci/test.ts) checks what each end leaves:
//   0. turns bus mastering on for the std VGA with only kept memory: it
//      stays on after the end;
//   1. finds it still on before asking, makes DMA memory no state name
//      keeps: its end turns bus mastering off;
//   2. turns it on again with only kept memory: it stays on;
//   3. deletes the DMA state object without asking for bus mastering: it
//      goes off at once, before the frames can go back.

import "../../../sdk/lib/abort";
import { componentExit, handleClose, memoryDma, stateDelete, stateDma, PCI_ENABLE_BUS_MASTER } from "../../../ipc/generated/index";
import { expect } from "../../../sdk/lib/test";
import { log } from "../../../sdk/lib/log";
import { PciDevice } from "../../../drivers/lib/device/pci";
import { mapFresh } from "../../../drivers/lib/device/map";

const STATE_NAME = "bus-master-kept";
/** The command register's offset and its bus master bit. */
const COMMAND: usize = 4;
const BUS_MASTER: u16 = 1 << 2;

function busMasterOn(page: usize): bool { return (load<u16>(page + COMMAND) & BUS_MASTER) != 0; }

export function _start(): void {
  const vga = new PciDevice(0x1234, 0x1111);
  expect(vga.find() == 0, "pci.find of the std VGA");
  const config = vga.config();
  expect(config > 0, "pci.config");
  const page = mapFresh(config, 4096, true);
  expect(page != 0, "maps the configuration page");
  handleClose(config);
  const kept = stateDma(STATE_NAME, 4096);
  expect(kept > 0, "state.dma " + STATE_NAME);
  const memory = mapFresh(kept, 4096);
  expect(memory != 0, "maps the DMA state object");
  const step = load<u32>(memory);
  log("step " + step.toString() + ", bus mastering " + (busMasterOn(page) ? "on" : "off"));
  store<u32>(memory, step + 1);
  if (step == 0 || step == 2) {
    expect(vga.enable(PCI_ENABLE_BUS_MASTER) == 0, "pci.enable with bus mastering");
    expect(busMasterOn(page), "bus mastering is on while its driver runs");
  } else if (step == 1) {
    expect(busMasterOn(page), "bus mastering stayed on for the identity's kept memory");
    expect(memoryDma(4096) > 0, "memory.dma of memory no state name keeps");
  } else if (step == 3) {
    expect(busMasterOn(page), "bus mastering stayed on again");
    expect(stateDelete(STATE_NAME) == 0, "state.delete of the DMA state object");
    expect(!busMasterOn(page), "bus mastering went off with the kept memory's name");
  }
  componentExit(0);
}
