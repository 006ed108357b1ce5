// Workloads for the file-system tests: operations as data, applied alike
// to a volume and to the model (model.ts); random workloads from a seed;
// and one power cut: run a workload on a CutDevice until the cut, mount
// what survived, and say what is wrong with it (shared by tests/fs/fs.test.ts
// and `npm run torture`).

import { FsVolume, MemoryDevice } from "../../sdk/host/fs-volume";
import { CutDevice, CutMode, PowerCut, Random } from "./cut-device";
import { Model, renderVolume, statusOf } from "./model";

export type Operation =
  | { kind: "mkdir" | "create" | "remove"; path: string }
  | { kind: "write"; path: string; offset: number; data: Uint8Array }
  | { kind: "truncate"; path: string; size: number }
  | { kind: "rename"; path: string; to: string }
  | { kind: "commit" };

export function bytes(length: number, seed: number): Uint8Array {
  const random = new Random(seed);
  return Uint8Array.from({ length }, () => random.below(256));
}

/** Applies `operation` to the model; its status. */
export function applyToModel(operation: Operation, model: Model): number {
  switch (operation.kind) {
    case "mkdir": return model.make(operation.path, true);
    case "create": return model.make(operation.path, false);
    case "remove": return model.remove(operation.path);
    case "write": return model.write(operation.path, operation.offset, operation.data);
    case "truncate": return model.truncate(operation.path, operation.size);
    case "rename": return model.rename(operation.path, operation.to);
    case "commit": return 0;
  }
}

/** Applies `operation` to the volume; its status (0, or the FsError's). */
export function applyToVolume(operation: Operation, volume: FsVolume): number {
  return statusOf(() => {
    switch (operation.kind) {
      case "mkdir": return volume.mkdir(operation.path);
      case "create": return volume.create(operation.path);
      case "remove": return volume.remove(operation.path);
      case "write": return volume.write(volume.lookup(operation.path), BigInt(operation.offset), operation.data);
      case "truncate": return volume.truncate(volume.lookup(operation.path), BigInt(operation.size));
      case "rename": return volume.rename(operation.path, operation.to);
      case "commit": return volume.commit();
    }
  });
}

/**
 * `length` random operations from `seed`, each chosen from the model's state
 * at that point (so they name existing files and directories, and sometimes
 * missing ones), with a commit about every `commitEvery` operations.
 */
export function randomWorkload(seed: number, length: number, commitEvery = 15): Operation[] {
  const random = new Random(seed);
  const model = new Model();
  const operations: Operation[] = [];
  const name = () => ["a", "b", "c", "d", "e", "long-name-" + "x".repeat(random.below(200)), "ü", "日本"][random.below(8)]!;
  const pick = (list: string[]) => list[random.below(list.length)]!;
  const child = (directory: string) => (directory === "/" ? "/" : directory + "/") + name();
  while (operations.length < length) {
    const files = model.paths(false), directories = model.paths(true);
    const named = [...files, ...directories].filter((p) => p !== "/");
    const choice = random.below(100);
    let operation: Operation;
    if (choice < 15) operation = { kind: "mkdir", path: child(pick(directories)) };
    else if (choice < 35) operation = { kind: "create", path: child(pick(directories)) };
    else if (choice < 55 && files.length > 0) {
      const path = pick(files);
      const size = model.files.get(path)!.data.length;
      operation = { kind: "write", path, offset: random.below(size + 6000), data: bytes(random.below(12000), random.next()) };
    } else if (choice < 63 && files.length > 0) {
      const path = pick(files);
      operation = { kind: "truncate", path, size: random.below(model.files.get(path)!.data.length + 5000) };
    } else if (choice < 75) operation = { kind: "remove", path: pick([...named, "/missing"]) };
    else if (choice < 90) {
      const to = random.below(3) === 0 ? pick([...named, "/x"]) : child(pick(directories));
      operation = { kind: "rename", path: pick([...named, "/missing"]), to };
    } else if (random.below(commitEvery) < 10) operation = { kind: "commit" };
    else continue;
    applyToModel(operation, model);
    operations.push(operation);
  }
  operations.push({ kind: "commit" });
  return operations;
}

export interface WorkloadRun {
  /**
   * The model at each commit, with the device's event count when that commit
   * returned and the generation it left the volume at (both -1: cut short).
   * A commit with nothing to commit writes nothing and keeps the generation.
   */
  commits: Array<{ events: number; generation: number; model: Model }>;
  cut: boolean;
  /** An operation whose status differed from the model's. */
  mismatch: string | null;
}

/** Runs `operations` on `device` (formatted) until they end or the power is cut. */
export function runWorkload(device: CutDevice, operations: Operation[]): WorkloadRun {
  const model = new Model();
  const run: WorkloadRun = { commits: [{ events: 0, generation: 1, model: model.clone() }], cut: false, mismatch: null };
  try {
    const volume = new FsVolume(device);
    volume.mount();
    for (const [index, operation] of operations.entries()) {
      const commit = operation.kind === "commit" ? { events: -1, generation: -1, model: model.clone() } : null;
      if (commit) run.commits.push(commit);
      const expected = applyToModel(operation, model);
      const got = applyToVolume(operation, volume);
      if (commit) { commit.events = device.events; commit.generation = Number(volume.generation); }
      if (got !== expected && run.mismatch === null) run.mismatch = `operation ${index} (${operation.kind}): status ${got}, the model's ${expected}`;
    }
  } catch (error) {
    if (!(error instanceof PowerCut)) throw error;
    run.cut = true;
  }
  return run;
}

/** A freshly formatted volume's device. */
export function formatted(blocks: number): MemoryDevice {
  const device = new MemoryDevice(blocks);
  new FsVolume(device).format(0x5eedn);
  return device;
}

/**
 * Cuts the power at event `cut` of `operations` run on `image`, then checks
 * what survived: it mounts, it is exactly the last durable commit, fsck is
 * clean, and a further commit over it is clean too. The problems found; the
 * commit mounted.
 */
export function checkCut(image: Uint8Array, blocks: number, operations: Operation[], cut: number, mode: CutMode, seed: number):
  { problems: string[]; generation: number } {
  const at = `${mode} cut at event ${cut}`;
  const device = new CutDevice(image, blocks, cut, mode, new Random(seed));
  const run = runWorkload(device, operations);
  if (run.mismatch) return { problems: [`${at}: ${run.mismatch}`], generation: -1 };
  if (!run.cut) return { problems: [`${at}: the workload ended first`], generation: -1 };
  const survivor = device.survivor();
  const volume = new FsVolume(survivor);
  try { volume.mount(); } catch (error) { return { problems: [`${at}: mount: ${(error as Error).message}`], generation: -1 }; }
  // The commits that returned before the cut are durable; the one in progress only if its superblock landed.
  const returned = run.commits.filter((c) => c.events >= 0 && c.events < cut);
  const durable = returned[returned.length - 1]!;
  const inProgress = run.commits.find((c) => c.events === -1);
  const expected = inProgress && device.superblockLanded ? { generation: durable.generation + 1, model: inProgress.model } : durable;
  const generation = Number(volume.generation);
  if (generation !== expected.generation) return { problems: [`${at}: mounted generation ${generation}, expected ${expected.generation}`], generation };
  const problems: string[] = [];
  try {
    if (JSON.stringify(renderVolume(volume)) !== JSON.stringify(expected.model.render())) problems.push(`${at}: contents differ from generation ${generation}`);
  } catch (error) {
    problems.push(`${at}: reading the tree: ${(error as Error).message}`);
  }
  const check = volume.fsck();
  if (check.problems.length > 0) problems.push(`${at}: fsck: ${check.problems.slice(0, 3).join("; ")}`);
  // Life goes on after the cut: a change commits cleanly over what the cut left.
  try {
    volume.writeFile("/after-the-cut", bytes(10_000, cut));
    volume.commit();
    const again = new FsVolume(survivor);
    again.mount();
    const recheck = again.fsck();
    if (recheck.problems.length > 0) problems.push(`${at}: fsck after a further commit: ${recheck.problems.slice(0, 3).join("; ")}`);
  } catch (error) {
    problems.push(`${at}: a commit after the cut: ${(error as Error).message}`);
  }
  return { problems, generation };
}
