// A WASI command for the runtime tests (tests/runtime/wasi.test.ts): what it
// does is chosen by its first argument, and it talks to the runtime only
// through wasi_snapshot_preview1 and AssemblyScript's env imports.
//
//   hello            "hello, world" on stdout
//   args             each argument on its own line
//   env NAME         the value of NAME, or "unset"
//   cat PATH         the file's bytes on stdout (path_open through the preopens, fd_read)
//   stat PATH        the file's size and type (path_filestat_get, fd_filestat_get, fd_fdstat_get)
//   clock            monotonic and real-time clocks, and the resolution, as sanity checks
//   random           whether random_get filled 64 bytes
//   preopens         the preopened directories' names
//   write PATH TEXT  creates PATH holding TEXT, reads it back, seeks, removes it
//   stdin            copies stdin to stdout
//   exit N           proc_exit(N)
//   abort            fails an assertion (env.abort)
//   trace            env.trace with two values
//   fault            reads far outside memory (a trap)
//   unsupported      calls fd_readdir, which the runtime does not provide

@external("wasi_snapshot_preview1", "args_sizes_get") declare function args_sizes_get(count: usize, size: usize): u16;
@external("wasi_snapshot_preview1", "args_get") declare function args_get(pointers: usize, buffer: usize): u16;
@external("wasi_snapshot_preview1", "environ_sizes_get") declare function environ_sizes_get(count: usize, size: usize): u16;
@external("wasi_snapshot_preview1", "environ_get") declare function environ_get(pointers: usize, buffer: usize): u16;
@external("wasi_snapshot_preview1", "fd_write") declare function fd_write(fd: u32, iovs: usize, count: usize, written: usize): u16;
@external("wasi_snapshot_preview1", "fd_read") declare function fd_read(fd: u32, iovs: usize, count: usize, read: usize): u16;
@external("wasi_snapshot_preview1", "fd_close") declare function fd_close(fd: u32): u16;
@external("wasi_snapshot_preview1", "fd_seek") declare function fd_seek(fd: u32, offset: i64, whence: u8, position: usize): u16;
@external("wasi_snapshot_preview1", "fd_fdstat_get") declare function fd_fdstat_get(fd: u32, stat: usize): u16;
@external("wasi_snapshot_preview1", "fd_filestat_get") declare function fd_filestat_get(fd: u32, stat: usize): u16;
@external("wasi_snapshot_preview1", "fd_prestat_get") declare function fd_prestat_get(fd: u32, prestat: usize): u16;
@external("wasi_snapshot_preview1", "fd_prestat_dir_name") declare function fd_prestat_dir_name(fd: u32, path: usize, length: usize): u16;
@external("wasi_snapshot_preview1", "fd_readdir") declare function fd_readdir(fd: u32, buffer: usize, length: usize, cookie: u64, used: usize): u16;
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(fd: u32, dirflags: u32, path: usize, pathLength: usize, oflags: u16,
  rightsBase: u64, rightsInheriting: u64, fdflags: u16, opened: usize): u16;
@external("wasi_snapshot_preview1", "path_filestat_get")
declare function path_filestat_get(fd: u32, flags: u32, path: usize, pathLength: usize, stat: usize): u16;
@external("wasi_snapshot_preview1", "path_unlink_file") declare function path_unlink_file(fd: u32, path: usize, pathLength: usize): u16;
@external("wasi_snapshot_preview1", "clock_time_get") declare function clock_time_get(id: u32, precision: u64, time: usize): u16;
@external("wasi_snapshot_preview1", "clock_res_get") declare function clock_res_get(id: u32, resolution: usize): u16;
@external("wasi_snapshot_preview1", "random_get") declare function random_get(buffer: usize, length: usize): u16;
@external("wasi_snapshot_preview1", "proc_exit") declare function proc_exit(code: u32): void;

const RIGHTS_ALL: u64 = 0x1fffffff;
const PREOPEN_ROOT: u32 = 3;
const PREOPEN_CWD: u32 = 4;

const scratch = new ArrayBuffer(64);
function at(offset: usize): usize { return changetype<usize>(scratch) + offset; }

function writeBytes(fd: u32, pointer: usize, length: usize): void {
  store<u32>(at(0), <u32>pointer);
  store<u32>(at(4), <u32>length);
  fd_write(fd, at(0), 1, at(8));
}

function print(text: string): void {
  const bytes = String.UTF8.encode(text);
  writeBytes(1, changetype<usize>(bytes), bytes.byteLength);
}

function line(text: string): void { print(text + "\n"); }

function cString(pointer: usize): string {
  let length: usize = 0;
  while (load<u8>(pointer + length) != 0) length++;
  return String.UTF8.decodeUnsafe(pointer, length);
}

function strings(sizes: (count: usize, size: usize) => u16, get: (pointers: usize, buffer: usize) => u16): string[] {
  sizes(at(0), at(4));
  const count = load<u32>(at(0));
  const pointers = new ArrayBuffer(<i32>count * 4);
  const buffer = new ArrayBuffer(<i32>load<u32>(at(4)));
  get(changetype<usize>(pointers), changetype<usize>(buffer));
  const result = new Array<string>();
  for (let i: u32 = 0; i < count; i++) result.push(cString(load<u32>(changetype<usize>(pointers) + i * 4)));
  return result;
}

/** Opens a path relative to the preopen it names: absolute paths under "/", others under ".". */
function open(path: string, oflags: u16): i32 {
  const absolute = path.startsWith("/");
  const relative = absolute ? path.substring(1) : path;
  const bytes = String.UTF8.encode(relative);
  const error = path_open(absolute ? PREOPEN_ROOT : PREOPEN_CWD, 1, changetype<usize>(bytes), bytes.byteLength,
    oflags, RIGHTS_ALL, RIGHTS_ALL, 0, at(16));
  if (error != 0) {
    line("open failed: errno " + error.toString());
    return -1;
  }
  return <i32>load<u32>(at(16));
}

function cat(path: string): void {
  const fd = open(path, 0);
  if (fd < 0) return;
  const buffer = new ArrayBuffer(4096);
  while (true) {
    store<u32>(at(24), <u32>changetype<usize>(buffer));
    store<u32>(at(28), 4096);
    const error = fd_read(<u32>fd, at(24), 1, at(32));
    const count = load<u32>(at(32));
    if (error != 0) { line("read failed: errno " + error.toString()); break; }
    if (count == 0) break;
    writeBytes(1, changetype<usize>(buffer), count);
  }
  fd_close(<u32>fd);
}

function stat(path: string): void {
  const absolute = path.startsWith("/");
  const bytes = String.UTF8.encode(absolute ? path.substring(1) : path);
  const filestat = new ArrayBuffer(64);
  const error = path_filestat_get(absolute ? PREOPEN_ROOT : PREOPEN_CWD, 1, changetype<usize>(bytes), bytes.byteLength,
    changetype<usize>(filestat));
  if (error != 0) { line("stat failed: errno " + error.toString()); return; }
  line("size " + load<u64>(changetype<usize>(filestat) + 32).toString() + " type " + load<u8>(changetype<usize>(filestat) + 16).toString());
  const fd = open(path, 0);
  if (fd < 0) return;
  fd_filestat_get(<u32>fd, changetype<usize>(filestat));
  line("fd size " + load<u64>(changetype<usize>(filestat) + 32).toString());
  const fdstat = new ArrayBuffer(24);
  fd_fdstat_get(<u32>fd, changetype<usize>(fdstat));
  line("fd type " + load<u8>(changetype<usize>(fdstat)).toString());
  fd_close(<u32>fd);
}

function clocks(): void {
  clock_time_get(1, 1, at(0));
  const first = load<u64>(at(0));
  clock_time_get(1, 1, at(0));
  const second = load<u64>(at(0));
  clock_time_get(0, 1, at(0));
  const seconds = load<u64>(at(0)) / 1000000000;
  clock_res_get(1, at(8));
  const resolution = load<u64>(at(8));
  line("monotonic " + (second >= first && first > 0 ? "ok" : "wrong"));
  // After 2020 and before 2100.
  line("realtime " + (seconds > 1577836800 && seconds < 4102444800 ? "ok" : "wrong " + seconds.toString()));
  line("resolution " + (resolution > 0 && resolution <= 1000000 ? "ok" : "wrong"));
  line("bad clock errno " + clock_time_get(99, 1, at(0)).toString());
}

function random(): void {
  const buffer = new Uint8Array(64);
  const error = random_get(buffer.dataStart, 64);
  let nonzero = 0;
  for (let i = 0; i < 64; i++) if (buffer[i] != 0) nonzero++;
  line("random errno " + error.toString() + (nonzero > 32 ? " filled" : " empty"));
}

function preopens(): void {
  for (let fd: u32 = 3; fd < 8; fd++) {
    if (fd_prestat_get(fd, at(0)) != 0) continue;
    const length = load<u32>(at(4));
    const name = new ArrayBuffer(<i32>length);
    fd_prestat_dir_name(fd, changetype<usize>(name), length);
    line(fd.toString() + " " + String.UTF8.decode(name));
  }
}

function writeFile(path: string, text: string): void {
  const fd = open(path, 1 | 8);
  if (fd < 0) return;
  writeBytes(<u32>fd, changetype<usize>(String.UTF8.encode(text)), String.UTF8.byteLength(text));
  fd_seek(<u32>fd, 0, 2, at(40));
  line("end at " + load<u64>(at(40)).toString());
  fd_close(<u32>fd);
  cat(path);
  line("");
  const bytes = String.UTF8.encode(path);
  line("unlink errno " + path_unlink_file(PREOPEN_CWD, changetype<usize>(bytes), bytes.byteLength).toString());
  line("open again: " + (open(path, 0) < 0 ? "gone" : "still there"));
}

function copyStdin(): void {
  const buffer = new ArrayBuffer(256);
  while (true) {
    store<u32>(at(24), <u32>changetype<usize>(buffer));
    store<u32>(at(28), 256);
    if (fd_read(0, at(24), 1, at(32)) != 0) break;
    const count = load<u32>(at(32));
    if (count == 0) break;
    writeBytes(1, changetype<usize>(buffer), count);
  }
}

const args = strings(args_sizes_get, args_get);
const command = args.length > 1 ? args[1] : "";
if (command == "hello") line("hello, world");
else if (command == "args") for (let i = 0; i < args.length; i++) line(i.toString() + ": " + args[i]);
else if (command == "env") {
  const environment = strings(environ_sizes_get, environ_get);
  let value = "unset";
  for (let i = 0; i < environment.length; i++) {
    if (environment[i].startsWith(args[2] + "=")) value = environment[i].substring(args[2].length + 1);
  }
  line(value);
}
else if (command == "cat") cat(args[2]);
else if (command == "stat") stat(args[2]);
else if (command == "clock") clocks();
else if (command == "random") random();
else if (command == "preopens") preopens();
else if (command == "write") writeFile(args[2], args[3]);
else if (command == "stdin") copyStdin();
else if (command == "exit") proc_exit(<u32>I32.parseInt(args[2]));
else if (command == "abort") assert(args.length > 5, "not enough arguments");
else if (command == "trace") trace("tracing", 2, 1.5, -2);
else if (command == "fault") line(load<u32>(0xfffffff0).toString());
else if (command == "unsupported") line("fd_readdir errno " + fd_readdir(3, at(0), 0, 0, at(8)).toString());
else line("unknown command " + command);
