// `npm run torture -- N [--seed S] [--length L]`: N power cuts at sampled
// moments of random workloads (tests/fs/workload.ts), each run on a fresh
// volume: a random workload of L operations (300), a random event of it to
// cut at, and a random way to cut (drop, tear, reorder). After each cut the
// volume must mount as exactly its last durable commit, with fsck clean, and
// take a further commit cleanly. Prints the counts; a failure prints the
// seed that replays it and ends with status 1. `npm test` runs the
// exhaustive cuts of a smaller workload (tests/fs/fs.test.ts).

import { CutDevice, CutMode, Random } from "./cut-device";
import { checkCut, formatted, randomWorkload, runWorkload } from "./workload";

const BLOCKS = 4096; // 16 MiB

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) { process.stderr.write(`torture: ${name} needs a whole number\n`); process.exit(2); }
  return value;
}

const count = Number(process.argv[2] ?? "100");
if (!Number.isInteger(count) || count < 1) { process.stderr.write("usage: npm run torture -- N [--seed S] [--length L]\n"); process.exit(2); }
const firstSeed = option("--seed", 1);
const length = option("--length", 300);
const image = formatted(BLOCKS).data;
const modes: CutMode[] = ["drop", "tear", "reorder"];
const tally = { cuts: 0, failed: 0, byMode: { drop: 0, tear: 0, reorder: 0 } as Record<CutMode, number>, commitsMounted: 0, events: 0 };
const began = Date.now();
for (let i = 0; i < count; i++) {
  const seed = firstSeed + i;
  const random = new Random(seed);
  const operations = randomWorkload(seed, length);
  const whole = runWorkload(new CutDevice(image, BLOCKS, 0, "drop", random), operations);
  const events = whole.commits[whole.commits.length - 1]!.events;
  const cut = 1 + random.below(events), mode = modes[random.below(3)]!;
  const { problems, generation } = whole.mismatch ? { problems: [whole.mismatch], generation: -1 } : checkCut(image, BLOCKS, operations, cut, mode, seed);
  tally.cuts++;
  tally.byMode[mode]++;
  tally.events += events;
  if (generation > 1) tally.commitsMounted++;
  if (problems.length > 0) {
    tally.failed++;
    for (const problem of problems) process.stdout.write(`torture: ✗ seed ${seed}: ${problem}\n`);
    process.stdout.write(`torture: replay with: npm run torture -- 1 --seed ${seed} --length ${length}\n`);
  }
  if ((i + 1) % 100 === 0) process.stdout.write(`torture: ${i + 1} cuts, ${tally.failed} failed\n`);
}
process.stdout.write(`torture: ${tally.cuts} power cuts (drop ${tally.byMode.drop}, tear ${tally.byMode.tear}, reorder ${tally.byMode.reorder}) `
  + `in workloads of ${length} operations averaging ${(tally.events / tally.cuts).toFixed(0)} writes and flushes; `
  + `${tally.commitsMounted} mounted a commit past the format; ${tally.failed} failed; ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
process.exit(tally.failed === 0 ? 0 : 1);
