// A component that floods its supervisor's channel (/test/runner) with
// pulses until pulse.send refuses one — its `pulses` limit or the full
// queue — and ends at once, so that the kernel's end notice comes on top
// of the flood. Its exit status says how many it queued and what stopped
// it (lib/hostile-steps.ts, floodStatus).

import "../lib/abort";
import { componentExit, nameOpen, pulseSend } from "../../../ipc/generated/index";
import { RUNNER_PATH, PULSE_FLOOD } from "../lib/runner-path";
import { floodStatus } from "../lib/hostile-steps";

export function _start(): void {
  const runner = nameOpen(RUNNER_PATH, 1_000_000_000);
  if (runner < 0) componentExit(runner);
  let sent = 0, result = 0;
  while ((result = pulseSend(runner, PULSE_FLOOD, sent)) == 0) sent++;
  componentExit(floodStatus(sent, result));
}
