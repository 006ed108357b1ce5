// The payload of a linux-x64 executable (docs/linux-runtime.md, "The
// payload"): the components and the script the runtime reads.
//
//   payload := "DPLD" version:u32(=1) count:u32 scriptOffset:u32 scriptLength:u32
//              (offset:u32 length:u32){count} bytes

import { CodeBuffer } from "../../x64/buffer";

export const PAYLOAD_MAGIC: u32 = 0x444c5044; // "DPLD"
export const PAYLOAD_VERSION: u32 = 1;
const HEADER_SIZE: i32 = 20;
const ENTRY_SIZE: i32 = 8;
const COMPONENT_ALIGNMENT: i32 = 16;

function alignedLength(value: i32): i32 {
  return (value + COMPONENT_ALIGNMENT - 1) & ~(COMPONENT_ALIGNMENT - 1);
}

export function writePayload(components: Uint8Array[], script: Uint8Array): Uint8Array {
  const out = new CodeBuffer(HEADER_SIZE + script.length);
  const scriptOffset = HEADER_SIZE + ENTRY_SIZE * components.length;
  out.u32(<i32>PAYLOAD_MAGIC);
  out.u32(<i32>PAYLOAD_VERSION);
  out.u32(components.length);
  out.u32(scriptOffset);
  out.u32(script.length);
  let at = alignedLength(scriptOffset + script.length);
  for (let i = 0; i < components.length; i++) {
    out.u32(at);
    out.u32(components[i].length);
    at = alignedLength(at + components[i].length);
  }
  out.copyFrom(script.dataStart, script.length);
  for (let i = 0; i < components.length; i++) {
    out.fill(0, alignedLength(out.length) - out.length);
    out.copyFrom(components[i].dataStart, components[i].length);
  }
  return out.toBytes();
}
