// The script runner: executes the commands of a script (docs/linux-runtime.md,
// "Scripts") over the payload's components and prints what happened, in
// plain output (for people: `i32:42`, traps end the process) or spec output
// (for harnesses: one `#INDEX ...` line per command, floats as raw bits,
// every command runs whatever happened before).
//
// Exit statuses in plain output: 0 done, 2 a malformed script or payload or
// a command that cannot run (no such instance or export, wrong arguments),
// 3 a trap, 4 a link error. `start` ends with the program's proc_exit code.

import { trapMessage } from "../../compiler/src/traps";
import { ExternKind, FuncType, ValType } from "../../compiler/src/module";
import { FunctionInstance } from "../../loader/extern";
import { Instance, instantiate } from "../../loader/instance";
import { Linker } from "../../loader/linker";
import { loaderError } from "../../loader/error";
import { takeAbort } from "./env";
import { formatF32, formatF64 } from "./float";
import { enterGuest } from "./guest";
import { absolute } from "./native";
import { flushAll, stderr, stdout } from "./output";
import { Payload } from "./payload";
import { LinuxPlatform } from "./platform";
import { Sys, sys2 } from "./syscalls";

/** "DSCR" as a little-endian u32. */
const SCRIPT_MAGIC: u32 = 0x52435344;
const SCRIPT_VERSION: u32 = 1;
const SPEC_OUTPUT: u32 = 1;

export const EXIT_ERROR = 2;
export const EXIT_TRAP = 3;
export const EXIT_LINK = 4;

const enum Op {
  Instantiate = 1,
  Register = 2,
  Invoke = 3,
  Get = 4,
  Start = 5,
}

/** Bounds-checked reading of the script; a failure sticks. */
class ScriptReader {
  bytes: Uint8Array;
  position: i32 = 0;
  failed: bool = false;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  private has(count: i32): bool {
    if (this.failed || count > this.bytes.length - this.position) {
      this.failed = true;
      return false;
    }
    return true;
  }

  u8(): u32 {
    if (!this.has(1)) return 0;
    return this.bytes[this.position++];
  }

  u32(): u32 {
    if (!this.has(4)) return 0;
    const value = load<u32>(this.bytes.dataStart + <usize>this.position);
    this.position += 4;
    return value;
  }

  u64(): u64 {
    if (!this.has(8)) return 0;
    const value = load<u64>(this.bytes.dataStart + <usize>this.position);
    this.position += 8;
    return value;
  }

  string(): string {
    const length = this.u32();
    if (length > <u32>(this.bytes.length - this.position) || !this.has(<i32>length)) {
      this.failed = true;
      return "";
    }
    const text = String.UTF8.decodeUnsafe(this.bytes.dataStart + <usize>this.position, <usize>length);
    this.position += <i32>length;
    return text;
  }
}

const clock = new StaticArray<i64>(2);

function monotonicNanoseconds(): i64 {
  sys2(Sys.ClockGettime, 1, absolute(changetype<usize>(clock)));
  return clock[0] * 1000000000 + clock[1];
}

function isNumeric(type: u8): bool {
  return type == ValType.I32 || type == ValType.I64 || type == ValType.F32 || type == ValType.F64;
}

export class Runner {
  linker: Linker;
  platform: LinuxPlatform;
  payload: Payload;
  spec: bool = false;
  private instances: (Instance | null)[] = [];
  private index: u32 = 0;
  /** The exit status once a command ended the run (plain output), else -1. */
  private stop: i32 = -1;

  constructor(linker: Linker, platform: LinuxPlatform, payload: Payload) {
    this.linker = linker;
    this.platform = platform;
    this.payload = payload;
  }

  /** Runs a whole script; the exit status. */
  run(script: Uint8Array): i32 {
    const reader = new ScriptReader(script);
    const magic = reader.u32();
    const version = reader.u32();
    const flags = reader.u32();
    const count = reader.u32();
    if (reader.failed || magic != SCRIPT_MAGIC || version != SCRIPT_VERSION) {
      stderr.line("error: malformed script header").flush();
      return EXIT_ERROR;
    }
    this.spec = (flags & SPEC_OUTPUT) != 0;
    for (this.index = 0; this.index < count; this.index++) {
      const op = reader.u8();
      switch (op) {
        case Op.Instantiate: {
          const component = reader.u32();
          const instance = reader.u32();
          if (!reader.failed) this.instantiate(component, instance);
          break;
        }
        case Op.Register: {
          const instance = reader.u32();
          const name = reader.string();
          if (!reader.failed) this.register(instance, name);
          break;
        }
        case Op.Invoke: {
          const instance = reader.u32();
          const name = reader.string();
          const argc = reader.u32();
          if (argc > <u32>(script.length / 9)) { reader.failed = true; break; }
          const types: u8[] = [];
          const values: u64[] = [];
          for (let i: u32 = 0; i < argc; i++) {
            types.push(<u8>reader.u8());
            values.push(reader.u64());
          }
          const repeat = reader.u32();
          if (!reader.failed) this.invoke(instance, name, types, values, repeat);
          break;
        }
        case Op.Get: {
          const instance = reader.u32();
          const name = reader.string();
          if (!reader.failed) this.get(instance, name);
          break;
        }
        case Op.Start: {
          const instance = reader.u32();
          if (!reader.failed) this.start(instance);
          break;
        }
        default:
          reader.failed = true;
      }
      if (reader.failed) {
        this.error("malformed script command");
        flushAll();
        return EXIT_ERROR;
      }
      flushAll();
      if (this.stop >= 0) return this.stop;
    }
    flushAll();
    return 0;
  }

  // -------------------------------------------------------------------------
  // Reporting

  private prefix(): void {
    stdout.byte(35).unsigned(this.index).byte(32);
  }

  private ok(): void {
    if (this.spec) {
      this.prefix();
      stdout.line("ok");
    }
  }

  private error(reason: string): void {
    if (this.spec) {
      this.prefix();
      stdout.text("error: ").line(reason);
    } else {
      stdout.flush();
      stderr.text("error: ").line(reason);
      this.stop = EXIT_ERROR;
    }
  }

  private unlinkable(reason: string): void {
    if (this.spec) {
      this.prefix();
      stdout.text("unlinkable: ").line(reason);
    } else {
      stdout.flush();
      stderr.text("link error: ").line(reason);
      this.stop = EXIT_LINK;
    }
  }

  private trap(kind: i32): void {
    const aborted = takeAbort();
    const message = aborted != null ? aborted : trapMessage(kind);
    if (this.spec) {
      this.prefix();
      stdout.text("trap: ").line(message);
      return;
    }
    stdout.flush();
    stderr.text("trap: ").line(message);
    if (aborted == null) {
      const location = this.linker.locate(this.platform.trapPc());
      if (location != null) stderr.text("  at ").line(location.toString());
    }
    this.stop = EXIT_TRAP;
  }

  private value(type: u8, bits: u64): void {
    if (type == ValType.I32) {
      stdout.text("i32:");
      if (this.spec) stdout.unsigned(bits & 0xffffffff);
      else stdout.signed(<i64><i32>bits);
    } else if (type == ValType.I64) {
      stdout.text("i64:");
      if (this.spec) stdout.unsigned(bits);
      else stdout.signed(<i64>bits);
    } else if (type == ValType.F32) {
      stdout.text("f32:");
      if (this.spec) stdout.hex(bits & 0xffffffff, 8);
      else stdout.text(formatF32(<u32>bits));
    } else if (type == ValType.F64) {
      stdout.text("f64:");
      if (this.spec) stdout.hex(bits, 16);
      else stdout.text(formatF64(bits));
    } else {
      stdout.text("ref:").hex(bits, 16);
    }
  }

  private results(types: u8[], values: u64[], timeNs: i64): void {
    if (this.spec) {
      this.prefix();
      if (types.length == 0) stdout.text("ok");
      for (let i = 0; i < types.length; i++) {
        if (i > 0) stdout.byte(32);
        this.value(types[i], values[i]);
      }
      if (timeNs >= 0) stdout.text(" time_ns: ").signed(timeNs);
      stdout.byte(10);
      return;
    }
    for (let i = 0; i < types.length; i++) {
      this.value(types[i], values[i]);
      stdout.byte(10);
    }
    if (timeNs >= 0) stdout.text("time_ns: ").signed(timeNs).byte(10);
  }

  // -------------------------------------------------------------------------
  // Commands

  private instance(number: u32): Instance | null {
    if (number < <u32>this.instances.length) {
      const found = this.instances[number];
      if (found != null) return found;
    }
    this.error("no instance " + number.toString());
    return null;
  }

  private instantiate(componentIndex: u32, number: u32): void {
    const component = this.payload.component(componentIndex);
    if (component == null) { this.error(this.payload.error); return; }
    if (number > 1000000) { this.error("instance number too large"); return; }
    while (<u32>this.instances.length <= number) this.instances.push(null);
    this.instances[number] = null;
    const created = instantiate(component, this.linker);
    if (created == null) { this.unlinkable(loaderError()); return; }
    enterGuest(created);
    const trap = created.runStart();
    if (trap != 0) { this.trap(trap); return; }
    this.instances[number] = created;
    this.ok();
  }

  private register(number: u32, name: string): void {
    const found = this.instance(number);
    if (found == null) return;
    this.linker.register(name, found.exports);
    this.ok();
  }

  private exportedFunction(instance: Instance, name: string): FunctionInstance | null {
    const value = instance.findExport(name);
    if (value == null || value.kind != ExternKind.Func) {
      this.error("no function export \"" + name + "\"");
      return null;
    }
    return value.func;
  }

  private invoke(number: u32, name: string, types: u8[], args: u64[], repeat: u32): void {
    const found = this.instance(number);
    if (found == null) return;
    const func = this.exportedFunction(found, name);
    if (func == null) return;
    const type: FuncType = func.type;
    let matches = type.params.length == types.length;
    for (let i = 0; matches && i < types.length; i++) matches = type.params[i] == types[i];
    for (let i = 0; matches && i < type.results.length; i++) matches = isNumeric(type.results[i]);
    if (!matches) { this.error("\"" + name + "\" has type " + type.toString()); return; }

    const params = type.params.length;
    const resultCount = type.results.length;
    const count = params > resultCount ? params : resultCount;
    const slots = new StaticArray<u64>(count > 0 ? count : 1);
    const slotsAddress = <u64>absolute(changetype<usize>(slots));
    if (repeat == 0) repeat = 1;
    enterGuest(found);
    const started = repeat > 1 ? monotonicNanoseconds() : 0;
    for (let round: u32 = 0; round < repeat; round++) {
      for (let i = 0; i < params; i++) slots[i] = args[i];
      const trap = this.platform.invoke(func.code, func.vmctx, slotsAddress, count);
      if (trap != 0) { this.trap(trap); return; }
    }
    const elapsed = repeat > 1 ? monotonicNanoseconds() - started : -1;
    const values: u64[] = [];
    for (let i = 0; i < resultCount; i++) values.push(slots[i]);
    this.results(type.results, values, elapsed);
  }

  private get(number: u32, name: string): void {
    const found = this.instance(number);
    if (found == null) return;
    const value = found.findExport(name);
    if (value == null || value.kind != ExternKind.Global) { this.error("no global export \"" + name + "\""); return; }
    const global = value.global!;
    const bits = this.platform.load64(global.address);
    this.results([global.type.valType], [bits], -1);
  }

  private start(number: u32): void {
    const found = this.instance(number);
    if (found == null) return;
    const func = this.exportedFunction(found, "_start");
    if (func == null) return;
    if (func.type.params.length != 0 || func.type.results.length != 0) { this.error("_start is not [] -> []"); return; }
    enterGuest(found);
    const trap = this.linker.call(func, [], []);
    if (trap != 0) { this.trap(trap); return; }
    this.ok();
  }
}
