// The kernel side of port.read and port.write: I/O port access for drivers
// whose rights hold the port (the dispatch checked the capability for
// the first port; the whole width must be covered too).

import * as abi from "../generated/abi";
import { inb, inl, inw, outb, outl, outw } from "../arch/x86_64/cpu";
import { allowsNumber, CAPABILITY_PORT } from "../component/policy";
import { Thread } from "../object/thread";

function covered(caller: Thread, port: u32, width: u32): bool {
  if (width != 1 && width != 2 && width != 4) return false;
  if (port > 0xffff || port + width > 0x10000) return false;
  for (let i: u32 = 0; i < width; i++) if (!allowsNumber(caller.component!, CAPABILITY_PORT, <u64>(port + i))) return false;
  return true;
}

export function portRead(caller: Thread, port: u32, width: u32): i64 {
  if (width != 1 && width != 2 && width != 4) return abi.ERROR_INVALID_ARGUMENT;
  if (!covered(caller, port, width)) return abi.ERROR_ACCESS_DENIED;
  if (width == 1) return <i64><u32>inb(<i32>port);
  if (width == 2) return <i64><u32>inw(<i32>port);
  return <i64><u32>inl(<i32>port);
}

export function portWrite(caller: Thread, port: u32, width: u32, value: u32): i32 {
  if (width != 1 && width != 2 && width != 4) return abi.ERROR_INVALID_ARGUMENT;
  if (!covered(caller, port, width)) return abi.ERROR_ACCESS_DENIED;
  if (width == 1) outb(<i32>port, <i32>(value & 0xff));
  else if (width == 2) outw(<i32>port, <i32>(value & 0xffff));
  else outl(<i32>port, <i32>value);
  return 0;
}
