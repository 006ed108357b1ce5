// The benchmark programs (AssemblyScript, in programs/) and the argument
// each runs with: sized so that one call takes roughly 50–150 ms in V8.
// Each exports `run(n)` returning a checksum; native and V8 must agree.

export interface BenchProgram { name: string; kind: string; n: number; }

export const benchPrograms: BenchProgram[] = [
  { name: "sieve", kind: "integer", n: 10_000_000 },
  { name: "hashing", kind: "integer", n: 1000 },
  { name: "nbody", kind: "float", n: 400_000 },
  { name: "mandelbrot", kind: "float", n: 1200 },
  { name: "spectral", kind: "float", n: 1000 },
  { name: "matmul", kind: "memory", n: 320 },
  { name: "sort", kind: "memory", n: 1_000_000 },
  { name: "copy", kind: "memory", n: 1000 },
  { name: "fib", kind: "calls", n: 34 },
  { name: "ackermann", kind: "calls", n: 400 },
  { name: "strings", kind: "strings", n: 100_000 },
  { name: "maps", kind: "maps", n: 1_000_000 },
  { name: "particles", kind: "float", n: 4000 },
  { name: "shapes", kind: "calls", n: 6000 },
  { name: "callbacks", kind: "calls", n: 2_500_000 },
  { name: "crc", kind: "integer", n: 3000 },
  { name: "divide", kind: "integer", n: 6_000_000 },
  { name: "parse", kind: "strings", n: 15_000 },
  { name: "blur", kind: "memory", n: 40 },
  { name: "trees", kind: "allocation", n: 2000 },
  { name: "queue", kind: "memory", n: 100_000 },
  { name: "lexer", kind: "strings", n: 200 },
  { name: "lz77", kind: "memory", n: 10 },
];

/** Calls per timed round, after one untimed warm-up call. */
export const REPEAT = 2;
/**
 * Timed rounds per program and engine; the figure is the best round's ms
 * per call. The best of several rounds rather than their mean keeps a
 * round that another process on a shared machine slowed out of the ratio.
 */
export const ROUNDS = 3;
/**
 * Passes over the engines (native, tier 2, V8, Cranelift, one after the
 * other), each engine's best round kept over all of them: a machine that
 * slows for seconds at a time (a shared host measured ±20% between two
 * runs of one executable) slows one pass of each engine, not all of one.
 */
export const PASSES = 3;
