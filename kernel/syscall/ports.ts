// The kernel side of port.read, port.write and port.take: I/O port access
// for drivers whose rights hold the port (the dispatch checked the
// capability for the first port; the whole width must be covered too).
//
// port.take exists for devices that forget a value once it is read, such
// as the i8042's data port: a component can be ended between any two of
// its instructions, but never inside a system call (kernel code runs with
// interrupts off and a kill waits for the call's end), so a read that
// also stores the value, with the caller's tag, in the caller's memory
// leaves no moment at which the value lives only in a register.
import * as abi from "../generated/abi";
import { inb, inl, inw, outb, outl, outw } from "../arch/x86_64/cpu";
import { allowsNumber, CAPABILITY_PORT } from "../component/policy";
import { Thread } from "../object/thread";
import { readUser, writeUser } from "../component/copy";

/** port.take's record, in the kernel's memory: read from the destination first, then the value and the tag. */
const taken = memory.data(8);

/** Reads `width` bytes of `port` (already checked). */
function readPort(port: u32, width: u32): u32 {
  if (width == 1) return <u32>inb(<i32>port);
  if (width == 2) return <u32>inw(<i32>port);
  return <u32>inl(<i32>port);
}

function covered(caller: Thread, port: u32, width: u32): bool {
  if (width != 1 && width != 2 && width != 4) return false;
  if (port > 0xffff || port + width > 0x10000) return false;
  for (let i: u32 = 0; i < width; i++) if (!allowsNumber(caller.component!, CAPABILITY_PORT, <u64>(port + i))) return false;
  return true;
}

export function portRead(caller: Thread, port: u32, width: u32): i64 {
  if (width != 1 && width != 2 && width != 4) return abi.ERROR_INVALID_ARGUMENT;
  if (!covered(caller, port, width)) return abi.ERROR_ACCESS_DENIED;
  return <i64>readPort(port, width);
}

/**
 * Reads the port and writes {value, tag} at `destination` (absolute; the
 * dispatch checked that the record lies inside the caller's memory). The
 * record is first read and written back unchanged, so that a read-only or
 * unmapped page refuses the call before the port is read: the value is
 * never read to be dropped. Interrupts stay off from there to the end, so
 * nothing can unmap the page between the probe and the write.
 */
export function portTake(caller: Thread, port: u32, width: u32, tag: u32, destination: u64): i32 {
  if (width != 1 && width != 2 && width != 4) return abi.ERROR_INVALID_ARGUMENT;
  if (!covered(caller, port, width)) return abi.ERROR_ACCESS_DENIED;
  if (!readUser(taken, destination, 8) || !writeUser(destination, taken, 8)) return abi.ERROR_BAD_ADDRESS;
  // POINT OF NO RETURN: the port's value is read and must reach the record.
  store<u32>(taken, readPort(port, width));
  store<u32>(taken, tag, 4);
  writeUser(destination, taken, 8);
  return 0;
}

export function portWrite(caller: Thread, port: u32, width: u32, value: u32): i32 {
  if (width != 1 && width != 2 && width != 4) return abi.ERROR_INVALID_ARGUMENT;
  if (!covered(caller, port, width)) return abi.ERROR_ACCESS_DENIED;
  if (width == 1) outb(<i32>port, <i32>(value & 0xff));
  else if (width == 2) outw(<i32>port, <i32>(value & 0xffff));
  else outl(<i32>port, <i32>value);
  return 0;
}
