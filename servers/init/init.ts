// init, the supervisor: the first component the kernel starts. It starts
// the components of its list (list.ts: the image's) that start at boot, serves the init
// protocol on `/init` (requests.ts), and restarts a component at once when
// the kernel's pulse says it ended (supervisor.ts), from a warm spare when
// it keeps one. Single-threaded: pulses
// and requests arrive on one channel and are handled one at a time; the
// kernel delivers pulses first, so an end is handled before the next
// request sees the entry. A second thread writes its lines (lines.ts).

import "../../sdk/lib/abort";
import {
  channelCreate, connectionCreate, nameRegister, timerCreate, errorName, INIT_PATH,
} from "../../ipc/generated/index";
import { serveInit } from "../../ipc/generated/servers/init";
import { list, loadList, StartAt } from "./list";
import { setEndNotices, setHandOverTimer, setSpareTimer, startEntry } from "./supervisor";
import { InitRequests, PULSE_HAND_OVERS, PULSE_SPARES } from "./requests";
import { log, startLineWriter } from "./lines";

const BUFFER_SIZE: u32 = 512;

export function _start(): void {
  loadList();
  // Its lines are written by a thread of their own, below every component (lines.ts).
  startLineWriter();
  const channel = channelCreate(0);
  if (channel < 0) { log("channel.create failed: " + errorName(channel)); return; }
  const notices = connectionCreate(channel);
  if (notices < 0) { log("connection.create failed: " + errorName(notices)); return; }
  setEndNotices(notices);
  // Warm spares are started by this timer's pulse, in the background (supervisor.ts).
  const spares = timerCreate(notices, PULSE_SPARES, 0);
  if (spares < 0) log("timer.create for the spares failed: " + errorName(spares) + "; no spares are kept");
  else setSpareTimer(spares);
  // A replacement's old instance is retired on this timer's pulse once its names moved (supervisor.ts).
  const handOvers = timerCreate(notices, PULSE_HAND_OVERS, 0);
  if (handOvers < 0) log("timer.create for the hand-overs failed: " + errorName(handOvers) + "; a replacement waits for none");
  else setHandOverTimer(handOvers);
  const registered = nameRegister(INIT_PATH, channel, 0);
  if (registered < 0) log("could not register " + INIT_PATH + ": " + errorName(registered));
  log("supervising " + list.length.toString() + " components; serving " + INIT_PATH);
  for (let i = 0; i < list.length; i++) {
    if (list[i].startAt == StartAt.Boot) startEntry(list[i]);
  }
  const failed = serveInit(new InitRequests(), channel, BUFFER_SIZE);
  log("receiving on " + INIT_PATH + " failed: " + errorName(failed));
}
