// Standing by as a warm spare (servers/init/supervisor.ts, "Warm spares"):
// a restartable component calls awaitTakeOver once it has done what it can
// without its predecessor — its runtime started, its files read — and
// before it opens its state objects, registers its names or touches its
// device. The running instance returns at once; a spare init started
// returns only when the instance before it has ended and it is to take
// over. Not started by init, or not allowed to open /init: returns at once.

import { handleClose, msgSend, nameOpen } from "../generated/system";
import { INIT_PATH, INIT_STANDBY } from "../generated/protocols/init";

/** Waits, as init's spare, until this instance is to take over; at once for the running instance. */
export function awaitTakeOver(): void {
  const init = nameOpen(INIT_PATH, 0);
  if (init < 0) return;
  const request = memory.data(4);
  store<u32>(request, INIT_STANDBY);
  msgSend(init, request, 4, 0, 0);
  handleClose(init);
}
