// What the process was started with: its arguments and environment (read
// from the initial stack the kernel built: argc, argv[], 0, envp[], 0) and
// the preopened directories WASI programs reach files through: "/" as
// descriptor 3 and the current directory "." as descriptor 4.

import { absolute, cStringLength, load64 } from "./native";
import { O_CLOEXEC, O_DIRECTORY, O_RDONLY, Sys, sys1, sys2, sys4 } from "./syscalls";

/** A NUL-terminated string somewhere in the process (absolute address, length without the NUL). */
export class CString {
  address: i64;
  length: i64;

  constructor(address: i64) {
    this.address = address;
    this.length = cStringLength(address);
  }
}

export const argv: CString[] = [];
export const environ: CString[] = [];

export function readInitialStack(stack: i64): void {
  const argc = load64(stack);
  let at = stack + 8;
  for (let i: i64 = 0; i < argc; i++, at += 8) argv.push(new CString(load64(at)));
  at += 8;
  while (true) {
    const pointer = load64(at);
    if (pointer == 0) break;
    environ.push(new CString(pointer));
    at += 8;
  }
}

/** Total bytes of the strings with their NULs, as args_sizes_get reports. */
export function stringBytes(strings: CString[]): i64 {
  let total: i64 = 0;
  for (let i = 0; i < strings.length; i++) total += strings[i].length + 1;
  return total;
}

export class Preopen {
  fd: i32;
  name: string;
  open: bool = false;

  constructor(fd: i32, name: string) {
    this.fd = fd;
    this.name = name;
  }
}

export const preopens: Preopen[] = [new Preopen(3, "/"), new Preopen(4, ".")];

const AT_FDCWD: i64 = -100;

/** Opens the preopened directories at their fixed descriptors. */
export function openPreopens(): void {
  for (let i = 0; i < preopens.length; i++) {
    const preopen = preopens[i];
    const path = String.UTF8.encode(preopen.name, true);
    const fd = sys4(Sys.Openat, AT_FDCWD, absolute(changetype<usize>(path)), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0) continue;
    if (fd != <i64>preopen.fd) {
      if (sys2(Sys.Dup2, fd, <i64>preopen.fd) < 0) { sys1(Sys.Close, fd); continue; }
      sys1(Sys.Close, fd);
    }
    preopen.open = true;
  }
}

export function preopenOf(fd: u32): Preopen | null {
  for (let i = 0; i < preopens.length; i++) {
    if (<u32>preopens[i].fd == fd && preopens[i].open) return preopens[i];
  }
  return null;
}
