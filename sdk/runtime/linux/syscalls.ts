// Linux x86-64 system calls the runtime makes, as thin typed wrappers over
// the syscall intrinsic. Results follow the kernel: negative values are
// -errno. Pointers are absolute addresses (see native.ts: absolute()).

import { syscall } from "./native";

export const enum Sys {
  Read = 0,
  Write = 1,
  Close = 3,
  Fstat = 5,
  Lseek = 8,
  Mmap = 9,
  Mprotect = 10,
  Readv = 19,
  Writev = 20,
  SchedYield = 24,
  Dup2 = 33,
  Fcntl = 72,
  Fsync = 74,
  Fdatasync = 75,
  ClockGettime = 228,
  ClockGetres = 229,
  ExitGroup = 231,
  Openat = 257,
  Mkdirat = 258,
  Newfstatat = 262,
  Unlinkat = 263,
  Renameat = 264,
  Preadv = 295,
  Pwritev = 296,
  Getrandom = 318,
}

export const PROT_NONE: i64 = 0;
export const PROT_READ: i64 = 1;
export const PROT_WRITE: i64 = 2;
export const PROT_EXEC: i64 = 4;
export const MAP_PRIVATE: i64 = 0x02;
export const MAP_ANONYMOUS: i64 = 0x20;
export const MAP_NORESERVE: i64 = 0x4000;

export const O_RDONLY: i64 = 0;
export const O_WRONLY: i64 = 1;
export const O_RDWR: i64 = 2;
export const O_CREAT: i64 = 0x40;
export const O_EXCL: i64 = 0x80;
export const O_TRUNC: i64 = 0x200;
export const O_APPEND: i64 = 0x400;
export const O_NONBLOCK: i64 = 0x800;
export const O_DSYNC: i64 = 0x1000;
export const O_SYNC: i64 = 0x101000;
export const O_DIRECTORY: i64 = 0x10000;
export const O_NOFOLLOW: i64 = 0x20000;
export const O_CLOEXEC: i64 = 0x80000;
export const AT_SYMLINK_NOFOLLOW: i64 = 0x100;
export const AT_REMOVEDIR: i64 = 0x200;
export const F_GETFL: i64 = 3;

export const EACCES: i64 = 13;
export const EISDIR: i64 = 21;
export const EROFS: i64 = 30;
export const EINTR: i64 = 4;

export function sys0(number: Sys): i64 { return syscall(<i64>number, 0, 0, 0, 0, 0, 0); }
export function sys1(number: Sys, a: i64): i64 { return syscall(<i64>number, a, 0, 0, 0, 0, 0); }
export function sys2(number: Sys, a: i64, b: i64): i64 { return syscall(<i64>number, a, b, 0, 0, 0, 0); }
export function sys3(number: Sys, a: i64, b: i64, c: i64): i64 { return syscall(<i64>number, a, b, c, 0, 0, 0); }
export function sys4(number: Sys, a: i64, b: i64, c: i64, d: i64): i64 { return syscall(<i64>number, a, b, c, d, 0, 0); }

export function mmap(length: i64, protection: i64, flags: i64): i64 {
  return syscall(<i64>Sys.Mmap, 0, length, protection, flags, -1, 0);
}

export function exitGroup(status: i32): void {
  sys1(Sys.ExitGroup, <i64>status);
}
