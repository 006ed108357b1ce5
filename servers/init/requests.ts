// The init protocol (ipc/table/protocols/init.ts): what components may ask
// of init, as the handlers of the generated server
// (ipc/generated/servers/init.ts), which decodes each request, checks its
// size and replies. Requests that name an instance do nothing when it is
// not the running one, so a re-sent request is harmless. End notices
// arrive as pulses on the same channel.

import {
  Pulse, INIT_ERROR_START_FAILED, INIT_ERROR_UNKNOWN_COMPONENT, PULSE_CODE_COMPONENT_ENDED, InitStartReply,
  InitRestartReply, InitReplaceReply, InitStatusReply,
} from "../../ipc/generated/index";
import { InitHandlers } from "../../ipc/generated/servers/init";
import { REPLY_LATER } from "../../ipc/client/serve";
import { log } from "./lines";
import { Entry, findByComponent, findByName } from "./list";
import {
  checkHandOvers, componentEnded, endInstance, finishHandOver, handOver, promoteSpare, retireSpare, standingBy, startEntry,
  startSpares,
} from "./supervisor";

/** The pulse code of init's spare timer (supervisor.ts, "Warm spares"). */
export const PULSE_SPARES: i32 = 1;
/** The pulse code of init's hand-over timer (supervisor.ts, handOver). */
export const PULSE_HAND_OVERS: i32 = 2;

/** A name or path of a request, as text. */
function text(bytes: usize, length: u32): string {
  return String.UTF8.decodeUnsafe(bytes, length);
}

export class InitRequests extends InitHandlers {
  start(name: usize, nameLength: u32, reply: InitStartReply): i32 {
    const entry = findByName(text(name, nameLength));
    if (entry == null) return INIT_ERROR_UNKNOWN_COMPONENT;
    if (entry.running == 0 && startEntry(entry) < 0) return INIT_ERROR_START_FAILED;
    reply.component = entry.running;
    return 0;
  }

  stop(name: usize, nameLength: u32): i32 {
    const entry = findByName(text(name, nameLength));
    if (entry == null) return INIT_ERROR_UNKNOWN_COMPONENT;
    entry.wanted = false;
    finishHandOver(entry);
    retireSpare(entry, "its component was stopped");
    if (entry.running != 0) log(entry.name + ": " + endInstance(entry, entry.running, "stopped on request"));
    return 0;
  }

  restart(component: u32, reply: InitRestartReply): i32 {
    const entry = findByComponent(component);
    if (entry != null) {
      const ended = endInstance(entry, component, "restart requested");
      if (!promoteSpare(entry, ended)) {
        log(entry.name + ": " + ended);
        if (startEntry(entry) < 0) return INIT_ERROR_START_FAILED;
      }
      reply.component = entry.running;
    } else {
      // Already gone: say which instance runs now, if the request's component was one of ours.
      reply.component = 0;
    }
    return 0;
  }

  /**
   * Start the new version, then retire the old one: the new instance loads
   * and initialises while the old one still serves, takes its names over
   * (NAME_TAKE_OVER, in ipc/client's Server), and only then is the old one
   * retired, so that name.open never finds a name missing. Clients whose
   * sends were pending at the old one get DEAD_SERVER and re-send to the new
   * one. The answer waits for the hand-over (supervisor.ts, handOver), but
   * init serves other requests meanwhile.
   */
  replace(component: u32, path: usize, pathLength: u32, reply: InitReplaceReply): i32 {
    const entry = findByComponent(component);
    if (entry == null) {
      reply.component = 0;
      return 0;
    }
    return replaceEntry(entry, component, text(path, pathLength), reply, this.receiveId);
  }

  status(name: usize, nameLength: u32, reply: InitStatusReply): i32 {
    const entry = findByName(text(name, nameLength));
    if (entry == null) return INIT_ERROR_UNKNOWN_COMPONENT;
    reply.component = entry.running;
    reply.starts = entry.starts;
    reply.trap = entry.lastTrap;
    reply.functionIndex = entry.lastFunction;
    reply.wasmOffset = entry.lastOffset;
    return 0;
  }

  /** The running instance gets the answer at once; a spare gets it when it takes over (supervisor.ts). */
  standby(): i32 {
    return standingBy(this.info.component, this.receiveId) ? REPLY_LATER : 0;
  }

  /** The kernel's end notices of the components init started, and the spare timer. */
  pulse(pulse: Pulse): void {
    if (pulse.code == PULSE_CODE_COMPONENT_ENDED) componentEnded(<u32>pulse.value);
    // The spare timer's pulse comes from the kernel (component 0), not from another holder of /init.
    else if (pulse.code == PULSE_SPARES && pulse.component == 0) startSpares();
    else if (pulse.code == PULSE_HAND_OVERS && pulse.component == 0) checkHandOvers();
  }
}

function replaceEntry(entry: Entry, component: u32, path: string, reply: InitReplaceReply, receiveId: i32): i32 {
  // A replacement still handing over is settled first: its old instance goes now.
  finishHandOver(entry);
  const previousPath = entry.path;
  // The spare runs the old version. The new one keeps a spare only once it stands by itself (standingBy).
  retireSpare(entry, "its component is being replaced");
  entry.keepsSpare = false;
  entry.spareFailures = 0;
  entry.path = path;
  // startEntry sets `running` to the new instance, so the old one's end is not a restart.
  const started = startEntry(entry);
  if (started < 0) {
    entry.path = previousPath;
    entry.running = component;
    return INIT_ERROR_START_FAILED;
  }
  if (!handOver(entry, component, <u32>started, path, receiveId)) return REPLY_LATER;
  reply.component = <u32>started;
  return 0;
}
