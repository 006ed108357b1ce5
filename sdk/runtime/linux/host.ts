// Registers the runtime's host modules, `env` and `wasi_snapshot_preview1`,
// with the loader. Their functions are ordinary wasm functions of the
// runtime, compiled with the components' calling convention, so an import of
// one is the slot {native code, runtime vmctx}. The native code comes from
// the runtime's own table: an AssemblyScript function reference is an index
// into it (the build exports the table so that every referenced function
// stays there), and the runtime's table object hangs off its vmctx.
//
// Each `define` helper takes a function of one wasm signature, so the type
// the loader checks imports against is the type the function really has.

import { ELEMENT_CODE, ELEMENT_SIZE, TABLE_ELEMENTS, VMCTX_TABLE } from "../../compiler/src/abi";
import { FuncType, ValType } from "../../compiler/src/module";
import { Linker } from "../../loader/linker";
import { load64 } from "./native";
import * as env from "./env";
import * as wasi from "./wasi";

const WASI = "wasi_snapshot_preview1";

class HostModules {
  linker: Linker;
  vmctx: i64;

  constructor(linker: Linker, vmctx: i64) {
    this.linker = linker;
    this.vmctx = vmctx;
  }

  /** The native code of the runtime's function at table index `index`. */
  code(index: u32): u64 {
    const table = load64(this.vmctx + VMCTX_TABLE);
    const elements = load64(table + TABLE_ELEMENTS);
    return <u64>load64(elements + <i64>index * ELEMENT_SIZE + ELEMENT_CODE);
  }

  /** Types written as letters: i i32, I i64, F f64; e.g. "iIi" -> "i". */
  define(module: string, name: string, params: string, results: string, index: u32): void {
    const type = new FuncType();
    for (let i = 0; i < params.length; i++) type.params.push(letterType(params.charCodeAt(i)));
    for (let i = 0; i < results.length; i++) type.results.push(letterType(results.charCodeAt(i)));
    this.linker.defineHost(module, name, type, this.code(index), <u64>this.vmctx);
  }

  i_i(module: string, name: string, f: (a: i32) => i32): void { this.define(module, name, "i", "i", f.index); }
  ii_i(module: string, name: string, f: (a: i32, b: i32) => i32): void { this.define(module, name, "ii", "i", f.index); }
  iii_i(module: string, name: string, f: (a: i32, b: i32, c: i32) => i32): void { this.define(module, name, "iii", "i", f.index); }
  iiii_i(module: string, name: string, f: (a: i32, b: i32, c: i32, d: i32) => i32): void { this.define(module, name, "iiii", "i", f.index); }
  iiiii_i(module: string, name: string, f: (a: i32, b: i32, c: i32, d: i32, e: i32) => i32): void { this.define(module, name, "iiiii", "i", f.index); }
  iiiiii_i(module: string, name: string, f: (a: i32, b: i32, c: i32, d: i32, e: i32, f: i32) => i32): void {
    this.define(module, name, "iiiiii", "i", f.index);
  }
  iIi_i(module: string, name: string, f: (a: i32, b: i64, c: i32) => i32): void { this.define(module, name, "iIi", "i", f.index); }
  iIii_i(module: string, name: string, f: (a: i32, b: i64, c: i32, d: i32) => i32): void { this.define(module, name, "iIii", "i", f.index); }
  iiiIi_i(module: string, name: string, f: (a: i32, b: i32, c: i32, d: i64, e: i32) => i32): void {
    this.define(module, name, "iiiIi", "i", f.index);
  }

  /** An unsupported WASI function: its declared type, the ENOSYS function's code. */
  unsupported(name: string, params: string): void {
    const f: () => i32 = wasi.unsupported;
    this.define(WASI, name, params, "i", f.index);
  }
}

function letterType(letter: i32): u8 {
  if (letter == 0x49) return <u8>ValType.I64; // I
  if (letter == 0x46) return <u8>ValType.F64; // F
  if (letter == 0x66) return <u8>ValType.F32; // f
  return <u8>ValType.I32;
}

export function registerHostModules(linker: Linker, vmctx: i64): void {
  const host = new HostModules(linker, vmctx);

  const abort: (a: i32, b: i32, c: i32, d: i32) => void = env.abort;
  host.define("env", "abort", "iiii", "", abort.index);
  const trace: (a: i32, b: i32, c: f64, d: f64, e: f64, f: f64, g: f64) => void = env.trace;
  host.define("env", "trace", "iiFFFFF", "", trace.index);
  const seed: () => f64 = env.seed;
  host.define("env", "seed", "", "F", seed.index);

  host.ii_i(WASI, "args_get", wasi.args_get);
  host.ii_i(WASI, "args_sizes_get", wasi.args_sizes_get);
  host.ii_i(WASI, "environ_get", wasi.environ_get);
  host.ii_i(WASI, "environ_sizes_get", wasi.environ_sizes_get);
  host.ii_i(WASI, "clock_res_get", wasi.clock_res_get);
  host.iIi_i(WASI, "clock_time_get", wasi.clock_time_get);
  host.ii_i(WASI, "random_get", wasi.random_get);
  host.iiii_i(WASI, "fd_write", wasi.fd_write);
  host.iiii_i(WASI, "fd_read", wasi.fd_read);
  host.iiiIi_i(WASI, "fd_pwrite", wasi.fd_pwrite);
  host.iiiIi_i(WASI, "fd_pread", wasi.fd_pread);
  host.iIii_i(WASI, "fd_seek", wasi.fd_seek);
  host.ii_i(WASI, "fd_tell", wasi.fd_tell);
  host.i_i(WASI, "fd_close", wasi.fd_close);
  host.i_i(WASI, "fd_sync", wasi.fd_sync);
  host.i_i(WASI, "fd_datasync", wasi.fd_datasync);
  host.ii_i(WASI, "fd_fdstat_get", wasi.fd_fdstat_get);
  host.ii_i(WASI, "fd_filestat_get", wasi.fd_filestat_get);
  host.iiiii_i(WASI, "path_filestat_get", wasi.path_filestat_get);
  host.ii_i(WASI, "fd_prestat_get", wasi.fd_prestat_get);
  host.iii_i(WASI, "fd_prestat_dir_name", wasi.fd_prestat_dir_name);
  const pathOpen: (a: i32, b: i32, c: i32, d: i32, e: i32, f: i64, g: i64, h: i32, i: i32) => i32 = wasi.path_open;
  host.define(WASI, "path_open", "iiiiiIIii", "i", pathOpen.index);
  host.iii_i(WASI, "path_create_directory", wasi.path_create_directory);
  host.iii_i(WASI, "path_unlink_file", wasi.path_unlink_file);
  host.iii_i(WASI, "path_remove_directory", wasi.path_remove_directory);
  host.iiiiii_i(WASI, "path_rename", wasi.path_rename);
  const procExit: (a: i32) => void = wasi.proc_exit;
  host.define(WASI, "proc_exit", "i", "", procExit.index);
  const schedYield: () => i32 = wasi.sched_yield;
  host.define(WASI, "sched_yield", "", "i", schedYield.index);

  host.unsupported("fd_advise", "iIIi");
  host.unsupported("fd_allocate", "iII");
  host.unsupported("fd_fdstat_set_flags", "ii");
  host.unsupported("fd_fdstat_set_rights", "iII");
  host.unsupported("fd_filestat_set_size", "iI");
  host.unsupported("fd_filestat_set_times", "iIIi");
  host.unsupported("fd_readdir", "iiiIi");
  host.unsupported("fd_renumber", "ii");
  host.unsupported("path_filestat_set_times", "iiiiIIi");
  host.unsupported("path_link", "iiiiiii");
  host.unsupported("path_readlink", "iiiiii");
  host.unsupported("path_symlink", "iiiii");
  host.unsupported("poll_oneoff", "iiii");
  host.unsupported("proc_raise", "i");
  host.unsupported("sock_accept", "iii");
  host.unsupported("sock_recv", "iiiiii");
  host.unsupported("sock_send", "iiiii");
  host.unsupported("sock_shutdown", "ii");
}
