// The Describe command: what a module exports, with the signature of each
// exported function, so that host tools (`delos run --invoke`) can parse
// arguments and check them without a second wasm decoder of their own.
//
// Output, little-endian:
//   describe := count:u32 export{count}
//   export   := kind:u8 name:string (params:types results:types, functions only)
//   types    := count:u32 type:u8{count}
//   string   := length:u32 utf8-bytes

import { decodeModule } from "./decode";
import { inputs, setMessage, setOutput } from "./io";
import { ExternKind, Module } from "./module";
import { validateModule } from "./validate";
import { CodeBuffer } from "./x64/buffer";

/** The Describe command over inputs[0]: 0, or 1 with the decoder's or validator's message. */
export function describeCommand(): i32 {
  if (inputs.length != 1) {
    setMessage("Describe takes one module");
    return 1;
  }
  const module = decodeModule(inputs[0]);
  if (module == null || !validateModule(module)) return 1;
  setOutput(describeModule(module));
  return 0;
}

export function describeModule(module: Module): Uint8Array {
  const out = new CodeBuffer(256);
  out.u32(module.exports.length);
  for (let i = 0; i < module.exports.length; i++) {
    const entry = module.exports[i];
    out.byte(entry.kind);
    const name = Uint8Array.wrap(String.UTF8.encode(entry.name));
    out.u32(name.length);
    out.copyFrom(name.dataStart, name.length);
    if (entry.kind != ExternKind.Func) continue;
    const type = module.funcType(entry.index);
    out.u32(type.params.length);
    for (let p = 0; p < type.params.length; p++) out.byte(type.params[p]);
    out.u32(type.results.length);
    for (let r = 0; r < type.results.length; r++) out.byte(type.results[r]);
  }
  return out.toBytes();
}
