// The benchmark programs under Wasmtime's optimizing compiler (Cranelift,
// opt level "speed"), the figure issue-level goals compare Delos's code
// with. Wasmtime is a benchmark-only dependency: its Python package, in a
// virtual environment under build/ that the first `npm run bench` makes
// (`python3 -m venv`, then `pip install wasmtime` from the package index pip
// is set up with). Nothing else needs it; when it cannot be had, the bench
// says why and leaves that column out.
//
// Each program runs in one Python process: compile (outside the timing),
// instantiate with the AssemblyScript imports the V8 side gives, one
// warm-up call, then `rounds` rounds of `repeat` calls timed with
// perf_counter_ns; the best round counts, as on the other sides.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "../../sdk/host/paths";

const VENV = join(buildDir, "bench-venv");
const PYTHON = join(VENV, "bin", "python");
/** The release the goals were measured against. */
const WASMTIME = "wasmtime>=49,<50";

/** Prints the checksum as formatSpec writes it (i32:N, f64:0xBITS) and ms per call. */
const RUNNER = `
import struct, sys, time, wasmtime
path, n, repeat, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
config = wasmtime.Config()
config.cranelift_opt_level = "speed"
engine = wasmtime.Engine(config)
store = wasmtime.Store(engine)
module = wasmtime.Module.from_file(engine, path)
linker = wasmtime.Linker(engine)
def stub(name, kind):
    results = list(kind.results)
    def call(*args):
        if name == "abort":
            raise RuntimeError("abort at %d:%d" % (args[2], args[3]))
        if name == "seed":
            return 0x5eed
        return None if not results else 0
    return call
for item in module.imports:
    if isinstance(item.type, wasmtime.FuncType):
        linker.define_func(item.module, item.name, item.type, stub(item.name, item.type))
instance = linker.instantiate(store, module)
run = instance.exports(store)["run"]
checksum = run(store, n)
best = None
for _ in range(rounds):
    started = time.perf_counter_ns()
    for _ in range(repeat):
        checksum = run(store, n)
    elapsed = time.perf_counter_ns() - started
    best = elapsed if best is None else min(best, elapsed)
if isinstance(checksum, float):
    text = "f64:0x%016x" % struct.unpack("<Q", struct.pack("<d", checksum))[0]
else:
    text = "i32:%d" % (checksum & 0xffffffff)
print(text, best / 1e6 / repeat)
`;

let ready: string | true | undefined;

/** Makes the virtual environment with Wasmtime unless it is there: true, or why it cannot be had. */
export function wasmtimeReady(log: (line: string) => void): string | true {
  if (ready !== undefined) return ready;
  const probe = () => existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import wasmtime"], { encoding: "utf8" }).status === 0;
  if (probe()) return (ready = true);
  log(`bench: installing Wasmtime (${WASMTIME}, Python package; a benchmark-only dependency) into ${VENV}`);
  const venv = spawnSync("python3", ["-m", "venv", VENV], { encoding: "utf8" });
  if (venv.error || venv.status !== 0) return (ready = `python3 -m venv failed: ${(venv.stderr || String(venv.error)).trim().split("\n").pop()}`);
  const pip = spawnSync(join(VENV, "bin", "pip"), ["install", "--quiet", WASMTIME], { encoding: "utf8", timeout: 300_000 });
  if (pip.error || pip.status !== 0) return (ready = `pip install ${WASMTIME} failed: ${(pip.stderr || String(pip.error)).trim().split("\n").pop()}`);
  return (ready = probe() ? true : "wasmtime does not import after pip install");
}

/** Runs `run(n)` of the program at `path` under Wasmtime: its checksum and the best round's ms per call, or why not. */
export function runInWasmtime(path: string, n: number, repeat: number, rounds: number): { checksum: string; ms: number } | string {
  const result = spawnSync(PYTHON, ["-c", RUNNER, path, String(n), String(repeat), String(rounds)], { encoding: "utf8", timeout: 600_000 });
  if (result.error) return `wasmtime: ${result.error.message}`;
  if (result.status !== 0) return `wasmtime: ${result.stderr.trim().split("\n").pop()}`;
  const [checksum, ms] = result.stdout.trim().split(/\s+/);
  return { checksum, ms: Number(ms) };
}
