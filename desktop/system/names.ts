// Words and units for what the system reports: kinds, states and trap
// kinds by name, memory in KiB, times in seconds. The shell's `ps` and the
// monitor's rows print them alike.

import {
  COMPONENT_KIND_APP, COMPONENT_KIND_DRIVER, COMPONENT_KIND_SERVER, COMPONENT_KIND_SUPERVISOR, COMPONENT_KIND_TEST,
  COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, COMPONENT_STATE_KILLED, COMPONENT_STATE_RUNNING,
} from "../../ipc/generated/abi";
import { trapMessage } from "../../sdk/compiler/src/traps";

export function kindName(kind: u32): string {
  if (kind == COMPONENT_KIND_DRIVER) return "driver";
  if (kind == COMPONENT_KIND_SERVER) return "server";
  if (kind == COMPONENT_KIND_APP) return "app";
  if (kind == COMPONENT_KIND_TEST) return "test";
  if (kind == COMPONENT_KIND_SUPERVISOR) return "supervisor";
  return "kind " + kind.toString();
}

export function stateName(state: u32): string {
  if (state == <u32>COMPONENT_STATE_RUNNING) return "running";
  if (state == <u32>COMPONENT_STATE_EXITED) return "exited";
  if (state == <u32>COMPONENT_STATE_FAULTED) return "faulted";
  if (state == <u32>COMPONENT_STATE_KILLED) return "killed";
  return "loading";
}

/** A trap kind's message, "" for none. */
export function faultName(trap: u32): string { return trap == 0 ? "" : trapMessage(<i32>trap); }

/** `value` / 10^decimals with that many decimals ("12.34"). */
export function fixed(value: u64, decimals: i32): string {
  let scale: u64 = 1;
  for (let i = 0; i < decimals; i++) scale *= 10;
  let fraction = (value % scale).toString();
  while (fraction.length < decimals) fraction = "0" + fraction;
  return (value / scale).toString() + (decimals > 0 ? "." + fraction : "");
}

/** Nanoseconds as seconds with two decimals. */
export function seconds(nanoseconds: u64): string { return fixed(nanoseconds / 10_000_000, 2); }

/** `text` padded with spaces to `width` on the left (numbers) or the right. */
export function pad(text: string, width: i32, left: bool = true): string {
  let padding = "";
  for (let i = text.length; i < width; i++) padding += " ";
  return left ? padding + text : text + padding;
}
