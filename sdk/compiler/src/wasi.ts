// The few WASI preview 1 calls the compiler's command-line driver needs:
// arguments, reading and writing whole files, messages on stderr, exit.
// WASI is the portable system interface here: the linux-x64 runtime provides
// it on the host, and Delos can provide it to programs on the OS.

@external("wasi_snapshot_preview1", "args_sizes_get")
declare function args_sizes_get(argc: usize, argvBufSize: usize): u16;
@external("wasi_snapshot_preview1", "args_get")
declare function args_get(argv: usize, argvBuf: usize): u16;
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovsLen: usize, written: usize): u16;
@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: u32, iovs: usize, iovsLen: usize, read: usize): u16;
@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: u32): u16;
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(dirfd: u32, dirflags: u32, path: usize, pathLen: usize, oflags: u16,
  rightsBase: u64, rightsInheriting: u64, fdflags: u16, fd: usize): u16;
@external("wasi_snapshot_preview1", "proc_exit")
declare function proc_exit(code: u32): void;

const OFLAGS_CREAT: u16 = 1;
const OFLAGS_TRUNC: u16 = 8;
/** fd_read | fd_seek | fd_write | fd_filestat_get: what reading and writing whole files needs. */
const RIGHTS_FILE: u64 = (1 << 1) | (1 << 2) | (1 << 6) | (1 << 21);
/** The first preopened directory: the runtime preopens "/" then ".". */
const PREOPEN_ROOT: u32 = 3;
const PREOPEN_CWD: u32 = 4;

export function exit(code: u32): void { proc_exit(code); }

export function commandLine(): string[] {
  const sizes = new ArrayBuffer(8);
  args_sizes_get(changetype<usize>(sizes), changetype<usize>(sizes) + 4);
  const argc = load<u32>(changetype<usize>(sizes));
  const bufferSize = load<u32>(changetype<usize>(sizes) + 4);
  const pointers = new ArrayBuffer(<i32>argc * 4);
  const buffer = new ArrayBuffer(<i32>bufferSize);
  args_get(changetype<usize>(pointers), changetype<usize>(buffer));
  const args = new Array<string>();
  for (let i: u32 = 0; i < argc; i++) {
    const start = load<u32>(changetype<usize>(pointers) + 4 * i);
    let end = start;
    while (load<u8>(end) != 0) end++;
    args.push(String.UTF8.decodeUnsafe(start, end - start));
  }
  return args;
}

function writeAll(fd: u32, data: usize, length: usize): bool {
  const iov = new ArrayBuffer(8);
  const written = new ArrayBuffer(4);
  while (length > 0) {
    store<u32>(changetype<usize>(iov), <u32>data);
    store<u32>(changetype<usize>(iov) + 4, <u32>length);
    if (fd_write(fd, changetype<usize>(iov), 1, changetype<usize>(written)) != 0) return false;
    const n = load<u32>(changetype<usize>(written));
    if (n == 0) return false;
    data += n;
    length -= n;
  }
  return true;
}

export function printError(text: string): void {
  const bytes = String.UTF8.encode(text + "\n");
  writeAll(2, changetype<usize>(bytes), bytes.byteLength);
}

function open(path: string, oflags: u16): i32 {
  const name = String.UTF8.encode(path.startsWith("/") ? path.substring(1) : path);
  const fd = new ArrayBuffer(4);
  const dir = path.startsWith("/") ? PREOPEN_ROOT : PREOPEN_CWD;
  const errno = path_open(dir, 0, changetype<usize>(name), name.byteLength, oflags, RIGHTS_FILE, 0, 0, changetype<usize>(fd));
  if (errno != 0) return -<i32>errno;
  return load<i32>(changetype<usize>(fd));
}

/** Reads a whole file, or returns null (the message says why). */
export function readFile(path: string): Uint8Array | null {
  const fd = open(path, 0);
  if (fd < 0) { printError("cannot open " + path + " (WASI errno " + (-fd).toString() + ")"); return null; }
  let data = new Uint8Array(65536);
  let length = 0;
  const iov = new ArrayBuffer(8);
  const count = new ArrayBuffer(4);
  while (true) {
    if (length == data.length) {
      const bigger = new Uint8Array(data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    store<u32>(changetype<usize>(iov), <u32>(data.dataStart + length));
    store<u32>(changetype<usize>(iov) + 4, <u32>(data.length - length));
    const errno = fd_read(<u32>fd, changetype<usize>(iov), 1, changetype<usize>(count));
    if (errno != 0) { printError("cannot read " + path + " (WASI errno " + errno.toString() + ")"); fd_close(<u32>fd); return null; }
    const n = load<u32>(changetype<usize>(count));
    if (n == 0) break;
    length += n;
  }
  fd_close(<u32>fd);
  return data.subarray(0, length);
}

export function writeFile(path: string, bytes: Uint8Array): bool {
  const fd = open(path, OFLAGS_CREAT | OFLAGS_TRUNC);
  if (fd < 0) { printError("cannot create " + path + " (WASI errno " + (-fd).toString() + ")"); return false; }
  const ok = writeAll(<u32>fd, bytes.dataStart, bytes.length);
  fd_close(<u32>fd);
  if (!ok) printError("cannot write " + path);
  return ok;
}
