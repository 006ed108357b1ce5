// Priority inheritance, observed through the order of events. The server
// (tests/os/priority) has priority 4, the spinner (tests/os/spinner) 12 and
// never blocks, the runner asks at 20:
//
//   1. the runner starts the spinner and waits for its "spinning" pulse:
//      from then on the spinner is ready at 12 and runs whenever nothing
//      above 12 is ready — the server, at 4, would never run;
//   2. the runner sends the server a probe. With inheritance the server
//      runs at 20 at once, ahead of the spinner, and replies; without it,
//      the reply would come only after the spinner ended (it stops by
//      itself after 20 s).
//
// So the check: the reply came while the spinner was still running, and
// the server said it ran at 20. Probes at other priorities (with nothing
// spinning) must report the prober's priority each time.

import {
  componentStatus, handleClose, msgSend, nameOpen, threadSetPriority, COMPONENT_STATE_RUNNING,
  PRIORITY_DEFAULT, TEST_PRIORITY_PATH, TEST_PRIORITY_PROBE,
  TEST_PRIORITY_PROBE_REPLY_SIZE,
} from "../../../ipc/generated/index";
import { Check } from "./check";
import { initStart } from "./init-client";
import { awaitPulse, killSpinner, spawn, status } from "./supervision";
import { spawnComponent } from "./grants";
import { PULSE_SPINNING } from "../lib/runner-path";

const SERVER_PRIORITY: i32 = 4;
const SPINNER_PRIORITY: i32 = 12;
const CLIENT_PRIORITY: i32 = 20;

let connection: i32 = 0;
const buffer = heap.alloc(16);

/** The priority the server reports while serving a probe; an error (negative) if the send failed. */
function probe(): i32 {
  store<u32>(buffer, TEST_PRIORITY_PROBE);
  const result = msgSend(connection, buffer, 4, buffer + 8, TEST_PRIORITY_PROBE_REPLY_SIZE);
  return result < 0 ? result : <i32>load<u32>(buffer + 8);
}

export function priorityInheritance(check: Check): void {
  if (!check.succeeded(initStart("priority"), "init.start priority")) return;
  connection = nameOpen(TEST_PRIORITY_PATH, 5_000_000_000);
  if (!check.succeeded(connection, "name.open " + TEST_PRIORITY_PATH)) return;

  // Lent priorities with nothing else running: the server reports each prober's.
  const probes: StaticArray<i32> = [PRIORITY_DEFAULT, 6, 25];
  for (let i = 0; i < probes.length; i++) {
    threadSetPriority(probes[i]);
    const seen = probe();
    if (!check.equal(seen, probes[i], "the server's priority while serving a client of priority " + probes[i].toString())) break;
  }
  threadSetPriority(CLIENT_PRIORITY);
  if (check.failed) { threadSetPriority(PRIORITY_DEFAULT); return; }

  // The inversion scenario.
  const spinner = spawnComponent("spinner");
  if (!check.succeeded(spinner, "component.spawn test/spinner.wasm")) { threadSetPriority(PRIORITY_DEFAULT); return; }
  const spinning = awaitPulse(PULSE_SPINNING, <u32>spinner);
  if (check.ok(spinning >= 0, "the spinner ended before it said it was spinning")) {
    const seen = probe();
    const spinnerState = componentStatus(<u32>spinner, changetype<usize>(status));
    check.equal(spinnerState, COMPONENT_STATE_RUNNING, "the spinner's state when the reply came (it must still be spinning)");
    check.equal(seen, CLIENT_PRIORITY, "the server's priority while serving a client of priority 20 with the spinner (12) ready");
  }
  killSpinner(check, <u32>spinner);
  threadSetPriority(PRIORITY_DEFAULT);
  handleClose(connection);
  check.summary = "a server of priority " + SERVER_PRIORITY.toString() + " served a client of priority " + CLIENT_PRIORITY.toString()
    + " at " + CLIENT_PRIORITY.toString() + " while a component of priority " + SPINNER_PRIORITY.toString()
    + " was spinning; probes at 10, 6 and 25 each ran at the prober's priority";
}
