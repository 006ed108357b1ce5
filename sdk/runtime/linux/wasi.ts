// The WASI preview 1 functions the runtime provides (docs/linux-runtime.md,
// "WASI preview 1 subset"), each mapped onto the Linux system call of the
// same meaning. WASI descriptors are Linux descriptors; 3 and 4 are the
// preopened "/" and ".". Guest pointers are checked (EFAULT), Linux errors
// are translated to WASI's numbering, and nothing here allocates on a
// per-call basis: the scratch buffers below are reused, because the
// runtime's allocator never frees.
//
// Each function's wasm signature is exactly the WASI one; host.ts registers
// them under wasi_snapshot_preview1 with those types.

import {
  guestAddress, guestLoad32, guestStore16, guestStore32, guestStore64, guestStore8, inGuest,
} from "./guest";
import { absolute, copyAbsolute } from "./native";
import { flushAll } from "./output";
import { argv, CString, environ, preopenOf, stringBytes } from "./process";
import {
  AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, EACCES, EINTR, EISDIR, EROFS, F_GETFL, O_APPEND, O_CLOEXEC, O_CREAT,
  O_DIRECTORY, O_DSYNC, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY, Sys,
  exitGroup, sys1, sys2, sys3, sys4,
} from "./syscalls";

// WASI errno values.
const SUCCESS: i32 = 0;
const EBADF: i32 = 8;
const EFAULT: i32 = 21;
const EINVAL: i32 = 28;
const EIO: i32 = 29;
const ENAMETOOLONG: i32 = 37;
export const ENOSYS: i32 = 52;

/** Linux errno -> WASI errno, indexed by the Linux number. */
const ERRNO: StaticArray<u8> = [
  0, 63, 44, 71, 27, 29, 60, 1, 45, 8, 12, 6, 48, 2, 21, 29, 10, 20, 75, 43,
  54, 31, 28, 41, 33, 59, 74, 22, 51, 70, 69, 34, 64, 18, 68, 16, 37, 46, 52, 55,
  32, 29, 49, 24, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29,
  29, 29, 29, 29, 29, 29, 29, 47, 29, 29, 29, 65, 36, 29, 9, 61, 29, 29, 29, 29,
  29, 29, 29, 29, 25, 29, 29, 29, 57, 17, 35, 67, 50, 66, 29, 58, 29, 5, 3, 4,
  38, 40, 39, 13, 15, 42, 30, 53, 29, 29, 73, 14, 29, 23, 7, 26, 72, 29, 29, 29,
  29, 29, 19, 29, 29, 11, 29, 29, 29, 29, 62, 56,
];

/** A negative Linux result as a WASI errno. */
function errno(result: i64): i32 {
  const linux = -result;
  if (linux <= 0 || linux >= <i64>ERRNO.length) return EIO;
  return <i32>ERRNO[<i32>linux];
}

// WASI file types.
const FILETYPE_UNKNOWN: u32 = 0;
const FILETYPE_BLOCK_DEVICE: u32 = 1;
const FILETYPE_CHARACTER_DEVICE: u32 = 2;
const FILETYPE_DIRECTORY: u32 = 3;
const FILETYPE_REGULAR_FILE: u32 = 4;
const FILETYPE_SOCKET_STREAM: u32 = 6;
const FILETYPE_SYMBOLIC_LINK: u32 = 7;

const RIGHTS_ALL: u64 = 0x1fffffff;
const RIGHT_FD_READ: u64 = 0x2;
const RIGHT_FD_WRITE: u64 = 0x40;

// Reused buffers in the runtime's memory.
const IOVEC_BATCH = 64;
const iovecs = new StaticArray<u64>(IOVEC_BATCH * 2);
/** struct stat of x86-64 Linux is 144 bytes. */
const stat = new StaticArray<u64>(18);
const timespec = new StaticArray<i64>(2);
const PATH_MAX: u32 = 4096;
const pathBuffer = new StaticArray<u8>(PATH_MAX + 1);
const secondPathBuffer = new StaticArray<u8>(PATH_MAX + 1);

/** Copies a guest path into `buffer` with a NUL; the absolute address, or 0 when it does not fit or contains NUL. */
function guestPath(buffer: StaticArray<u8>, pointer: u32, length: u32): i64 {
  if (length > PATH_MAX || !inGuest(pointer, <u64>length)) return 0;
  const local = changetype<usize>(buffer);
  const destination = absolute(local);
  copyAbsolute(destination, guestAddress(pointer), <i64>length);
  for (let i: u32 = 0; i < length; i++) if (load<u8>(local + <usize>i) == 0) return 0;
  store<u8>(local + <usize>length, 0);
  return destination;
}

/** Flushes the runtime's own output before the program writes to the same terminal. */
function beforeWrite(fd: u32): void {
  if (fd == 1 || fd == 2) flushAll();
}

// ---------------------------------------------------------------------------
// Arguments and environment

function writeStrings(strings: CString[], pointers: u32, buffer: u32): i32 {
  const total = stringBytes(strings);
  if (!inGuest(pointers, <u64>strings.length * 4) || !inGuest(buffer, <u64>total)) return EFAULT;
  let at = buffer;
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i];
    guestStore32(pointers + <u32>i * 4, at);
    copyAbsolute(guestAddress(at), text.address, text.length + 1);
    at += <u32>text.length + 1;
  }
  return SUCCESS;
}

function writeSizes(strings: CString[], countPointer: u32, sizePointer: u32): i32 {
  if (!inGuest(countPointer, 4) || !inGuest(sizePointer, 4)) return EFAULT;
  guestStore32(countPointer, <u32>strings.length);
  guestStore32(sizePointer, <u32>stringBytes(strings));
  return SUCCESS;
}

export function args_get(pointers: i32, buffer: i32): i32 { return writeStrings(argv, <u32>pointers, <u32>buffer); }
export function args_sizes_get(count: i32, size: i32): i32 { return writeSizes(argv, <u32>count, <u32>size); }
export function environ_get(pointers: i32, buffer: i32): i32 { return writeStrings(environ, <u32>pointers, <u32>buffer); }
export function environ_sizes_get(count: i32, size: i32): i32 { return writeSizes(environ, <u32>count, <u32>size); }

// ---------------------------------------------------------------------------
// Clocks and randomness

export function clock_time_get(id: i32, precision: i64, time: i32): i32 {
  if (!inGuest(<u32>time, 8)) return EFAULT;
  if (id < 0 || id > 3) return EINVAL;
  const result = sys2(Sys.ClockGettime, <i64>id, absolute(changetype<usize>(timespec)));
  if (result < 0) return errno(result);
  guestStore64(<u32>time, <u64>(timespec[0] * 1000000000 + timespec[1]));
  return SUCCESS;
}

export function clock_res_get(id: i32, resolution: i32): i32 {
  if (!inGuest(<u32>resolution, 8)) return EFAULT;
  if (id < 0 || id > 3) return EINVAL;
  const result = sys2(Sys.ClockGetres, <i64>id, absolute(changetype<usize>(timespec)));
  if (result < 0) return errno(result);
  guestStore64(<u32>resolution, <u64>(timespec[0] * 1000000000 + timespec[1]));
  return SUCCESS;
}

export function random_get(buffer: i32, length: i32): i32 {
  if (!inGuest(<u32>buffer, <u64><u32>length)) return EFAULT;
  let done: u32 = 0;
  while (done < <u32>length) {
    const got = sys3(Sys.Getrandom, guestAddress(<u32>buffer + done), <i64>(<u32>length - done), 0);
    if (got == -EINTR) continue;
    if (got < 0) return errno(got);
    done += <u32>got;
  }
  return SUCCESS;
}

// ---------------------------------------------------------------------------
// Reading and writing

/** readv or writev over guest iovecs, in batches; the byte count or a negative WASI errno. */
function transfer(call: Sys, fd: u32, list: u32, count: u32, offset: i64): i64 {
  if (!inGuest(list, <u64>count * 8)) return -EFAULT;
  let total: i64 = 0;
  let index: u32 = 0;
  while (index < count) {
    let batch: u32 = 0;
    let requested: i64 = 0;
    while (batch < <u32>IOVEC_BATCH && index + batch < count) {
      const entry = list + (index + batch) * 8;
      const buffer = guestLoad32(entry);
      const length = guestLoad32(entry + 4);
      if (!inGuest(buffer, <u64>length)) return -EFAULT;
      iovecs[batch * 2] = <u64>guestAddress(buffer);
      iovecs[batch * 2 + 1] = <u64>length;
      requested += <i64>length;
      batch++;
    }
    let result: i64;
    do {
      result = offset < 0
        ? sys3(call, <i64>fd, absolute(changetype<usize>(iovecs)), <i64>batch)
        : sys4(call == Sys.Readv ? Sys.Preadv : Sys.Pwritev, <i64>fd, absolute(changetype<usize>(iovecs)), <i64>batch, offset + total);
    } while (result == -EINTR);
    if (result < 0) return total > 0 ? total : <i64>-errno(result);
    total += result;
    index += batch;
    if (result < requested) break;
  }
  return total;
}

function finishTransfer(result: i64, countPointer: u32): i32 {
  if (result < 0) return <i32>-result;
  guestStore32(countPointer, <u32>result);
  return SUCCESS;
}

export function fd_write(fd: i32, iovs: i32, count: i32, written: i32): i32 {
  if (!inGuest(<u32>written, 4)) return EFAULT;
  beforeWrite(<u32>fd);
  return finishTransfer(transfer(Sys.Writev, <u32>fd, <u32>iovs, <u32>count, -1), <u32>written);
}

export function fd_read(fd: i32, iovs: i32, count: i32, read: i32): i32 {
  if (!inGuest(<u32>read, 4)) return EFAULT;
  return finishTransfer(transfer(Sys.Readv, <u32>fd, <u32>iovs, <u32>count, -1), <u32>read);
}

export function fd_pwrite(fd: i32, iovs: i32, count: i32, offset: i64, written: i32): i32 {
  if (!inGuest(<u32>written, 4)) return EFAULT;
  if (offset < 0) return EINVAL;
  return finishTransfer(transfer(Sys.Writev, <u32>fd, <u32>iovs, <u32>count, offset), <u32>written);
}

export function fd_pread(fd: i32, iovs: i32, count: i32, offset: i64, read: i32): i32 {
  if (!inGuest(<u32>read, 4)) return EFAULT;
  if (offset < 0) return EINVAL;
  return finishTransfer(transfer(Sys.Readv, <u32>fd, <u32>iovs, <u32>count, offset), <u32>read);
}

export function fd_seek(fd: i32, offset: i64, whence: i32, position: i32): i32 {
  if (!inGuest(<u32>position, 8)) return EFAULT;
  if (whence < 0 || whence > 2) return EINVAL;
  const result = sys3(Sys.Lseek, <i64>fd, offset, <i64>whence);
  if (result < 0) return errno(result);
  guestStore64(<u32>position, <u64>result);
  return SUCCESS;
}

export function fd_tell(fd: i32, position: i32): i32 {
  return fd_seek(fd, 0, 1, position);
}

export function fd_close(fd: i32): i32 {
  const result = sys1(Sys.Close, <i64>fd);
  if (result < 0) return errno(result);
  const preopen = preopenOf(<u32>fd);
  if (preopen != null) preopen.open = false;
  return SUCCESS;
}

export function fd_sync(fd: i32): i32 {
  const result = sys1(Sys.Fsync, <i64>fd);
  return result < 0 ? errno(result) : SUCCESS;
}

export function fd_datasync(fd: i32): i32 {
  const result = sys1(Sys.Fdatasync, <i64>fd);
  return result < 0 ? errno(result) : SUCCESS;
}

// ---------------------------------------------------------------------------
// File status

function fileType(mode: u32): u32 {
  switch (mode & 0xf000) {
    case 0x8000: return FILETYPE_REGULAR_FILE;
    case 0x4000: return FILETYPE_DIRECTORY;
    case 0x2000: return FILETYPE_CHARACTER_DEVICE;
    case 0x6000: return FILETYPE_BLOCK_DEVICE;
    case 0xc000: return FILETYPE_SOCKET_STREAM;
    case 0xa000: return FILETYPE_SYMBOLIC_LINK;
  }
  return FILETYPE_UNKNOWN;
}

function statMode(): u32 { return <u32>stat[3]; }

/** Writes the filestat of `stat` (dev, ino, filetype, nlink, size, atim, mtim, ctim). */
function writeFilestat(pointer: u32): void {
  for (let i: u32 = 0; i < 64; i += 8) guestStore64(pointer + i, 0);
  guestStore64(pointer, stat[0]);
  guestStore64(pointer + 8, stat[1]);
  guestStore8(pointer + 16, fileType(statMode()));
  guestStore64(pointer + 24, stat[2]);
  guestStore64(pointer + 32, stat[6]);
  guestStore64(pointer + 40, stat[9] * 1000000000 + stat[10]);
  guestStore64(pointer + 48, stat[11] * 1000000000 + stat[12]);
  guestStore64(pointer + 56, stat[13] * 1000000000 + stat[14]);
}

export function fd_fdstat_get(fd: i32, pointer: i32): i32 {
  if (!inGuest(<u32>pointer, 24)) return EFAULT;
  const result = sys2(Sys.Fstat, <i64>fd, absolute(changetype<usize>(stat)));
  if (result < 0) return errno(result);
  const flags = sys2(Sys.Fcntl, <i64>fd, F_GETFL);
  let wasiFlags: u32 = 0;
  if (flags >= 0) {
    if ((flags & O_APPEND) != 0) wasiFlags |= 1;
    if ((flags & O_DSYNC) != 0) wasiFlags |= 2;
    if ((flags & O_NONBLOCK) != 0) wasiFlags |= 4;
    if ((flags & O_SYNC) == O_SYNC) wasiFlags |= 16;
  }
  const at = <u32>pointer;
  guestStore64(at, 0);
  guestStore8(at, fileType(statMode()));
  guestStore16(at + 2, wasiFlags);
  guestStore64(at + 8, RIGHTS_ALL);
  guestStore64(at + 16, RIGHTS_ALL);
  return SUCCESS;
}

export function fd_filestat_get(fd: i32, pointer: i32): i32 {
  if (!inGuest(<u32>pointer, 64)) return EFAULT;
  const result = sys2(Sys.Fstat, <i64>fd, absolute(changetype<usize>(stat)));
  if (result < 0) return errno(result);
  writeFilestat(<u32>pointer);
  return SUCCESS;
}

export function path_filestat_get(fd: i32, flags: i32, path: i32, pathLength: i32, pointer: i32): i32 {
  if (!inGuest(<u32>pointer, 64)) return EFAULT;
  const name = guestPath(pathBuffer, <u32>path, <u32>pathLength);
  if (name == 0) return <u32>pathLength > PATH_MAX ? ENAMETOOLONG : EFAULT;
  const follow = (flags & 1) != 0;
  const result = sys4(Sys.Newfstatat, <i64>fd, name, absolute(changetype<usize>(stat)), follow ? 0 : AT_SYMLINK_NOFOLLOW);
  if (result < 0) return errno(result);
  writeFilestat(<u32>pointer);
  return SUCCESS;
}

// ---------------------------------------------------------------------------
// Preopened directories and opening files

export function fd_prestat_get(fd: i32, pointer: i32): i32 {
  const preopen = preopenOf(<u32>fd);
  if (preopen == null) return EBADF;
  if (!inGuest(<u32>pointer, 8)) return EFAULT;
  guestStore32(<u32>pointer, 0);
  guestStore32(<u32>pointer + 4, <u32>String.UTF8.byteLength(preopen.name));
  return SUCCESS;
}

export function fd_prestat_dir_name(fd: i32, path: i32, length: i32): i32 {
  const preopen = preopenOf(<u32>fd);
  if (preopen == null) return EBADF;
  const name = Uint8Array.wrap(String.UTF8.encode(preopen.name));
  if (<u32>length < <u32>name.length) return ENAMETOOLONG;
  if (!inGuest(<u32>path, <u64>name.length)) return EFAULT;
  for (let i = 0; i < name.length; i++) guestStore8(<u32>path + <u32>i, name[i]);
  return SUCCESS;
}

export function path_open(
  fd: i32, dirflags: i32, path: i32, pathLength: i32, oflags: i32,
  rightsBase: i64, rightsInheriting: i64, fdflags: i32, opened: i32,
): i32 {
  if (!inGuest(<u32>opened, 4)) return EFAULT;
  const name = guestPath(pathBuffer, <u32>path, <u32>pathLength);
  if (name == 0) return <u32>pathLength > PATH_MAX ? ENAMETOOLONG : EFAULT;
  let flags = O_CLOEXEC;
  if ((oflags & 1) != 0) flags |= O_CREAT;
  if ((oflags & 2) != 0) flags |= O_DIRECTORY;
  if ((oflags & 4) != 0) flags |= O_EXCL;
  if ((oflags & 8) != 0) flags |= O_TRUNC;
  if ((fdflags & 1) != 0) flags |= O_APPEND;
  if ((fdflags & 2) != 0) flags |= O_DSYNC;
  if ((fdflags & 4) != 0) flags |= O_NONBLOCK;
  if ((fdflags & 16) != 0) flags |= O_SYNC;
  if ((dirflags & 1) == 0) flags |= O_NOFOLLOW;
  const reads = (<u64>rightsBase & RIGHT_FD_READ) != 0;
  const writes = (<u64>rightsBase & RIGHT_FD_WRITE) != 0 || (oflags & 9) != 0 || (fdflags & 1) != 0;
  let access = writes ? (reads ? O_RDWR : O_WRONLY) : O_RDONLY;
  if ((oflags & 2) != 0) access = O_RDONLY;
  let result = sys4(Sys.Openat, <i64>fd, name, flags | access, 0o666);
  // Programs often ask for every right; a read-only file or a directory
  // still opens for reading, as it would under other WASI hosts.
  if (access == O_RDWR && (oflags & 9) == 0 && (result == -EACCES || result == -EROFS || result == -EISDIR)) {
    result = sys4(Sys.Openat, <i64>fd, name, flags | O_RDONLY, 0);
  }
  if (result < 0) return errno(result);
  guestStore32(<u32>opened, <u32>result);
  return SUCCESS;
}

export function path_create_directory(fd: i32, path: i32, length: i32): i32 {
  const name = guestPath(pathBuffer, <u32>path, <u32>length);
  if (name == 0) return <u32>length > PATH_MAX ? ENAMETOOLONG : EFAULT;
  const result = sys3(Sys.Mkdirat, <i64>fd, name, 0o777);
  return result < 0 ? errno(result) : SUCCESS;
}

export function path_unlink_file(fd: i32, path: i32, length: i32): i32 {
  const name = guestPath(pathBuffer, <u32>path, <u32>length);
  if (name == 0) return <u32>length > PATH_MAX ? ENAMETOOLONG : EFAULT;
  const result = sys3(Sys.Unlinkat, <i64>fd, name, 0);
  return result < 0 ? errno(result) : SUCCESS;
}

export function path_remove_directory(fd: i32, path: i32, length: i32): i32 {
  const name = guestPath(pathBuffer, <u32>path, <u32>length);
  if (name == 0) return <u32>length > PATH_MAX ? ENAMETOOLONG : EFAULT;
  const result = sys3(Sys.Unlinkat, <i64>fd, name, AT_REMOVEDIR);
  return result < 0 ? errno(result) : SUCCESS;
}

export function path_rename(fd: i32, path: i32, length: i32, newFd: i32, newPath: i32, newLength: i32): i32 {
  const from = guestPath(pathBuffer, <u32>path, <u32>length);
  const to = guestPath(secondPathBuffer, <u32>newPath, <u32>newLength);
  if (from == 0 || to == 0) return <u32>length > PATH_MAX || <u32>newLength > PATH_MAX ? ENAMETOOLONG : EFAULT;
  const result = sys4(Sys.Renameat, <i64>fd, from, <i64>newFd, to);
  return result < 0 ? errno(result) : SUCCESS;
}

// ---------------------------------------------------------------------------
// Process

export function proc_exit(code: i32): void {
  flushAll();
  exitGroup(code);
}

export function sched_yield(): i32 {
  sys1(Sys.SchedYield, 0);
  return SUCCESS;
}

/**
 * Every other WASI function: ENOSYS. One function serves every signature
 * with one i32 result: a callee writes result 0 in slot 0 and reads no
 * parameter, which is correct for any caller under the slot convention.
 */
export function unsupported(): i32 {
  return ENOSYS;
}

