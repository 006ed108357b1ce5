// Makes sure no QEMU outlives the process that started it. Every machine is
// started in its own process group (detached) and registered here; on normal
// exit, on an uncaught error and on SIGINT/SIGTERM/SIGHUP the whole group is
// killed. The signal handlers are installed only while a machine runs, so a
// program that never boots keeps Node's default signal behaviour.
// A hard kill of Node itself (SIGKILL) cannot be caught: for that case each
// headless QEMU also runs under `timeout`, which ends it after its time limit.

const groups = new Set<number>();
let installed = false;

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function killAll(): void {
  for (const pid of groups) killGroup(pid);
  groups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal as NodeJS.Signals, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", killAll);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal as NodeJS.Signals, onSignal);
}

/** Registers the process group led by `pid`. */
export function adopt(pid: number): void {
  groups.add(pid);
  install();
}

/** Kills the group led by `pid` (if still registered) and forgets it. */
export function reap(pid: number): void {
  if (groups.delete(pid)) killGroup(pid);
  if (groups.size === 0) uninstall();
}

/** How many QEMU process groups this process still owns (tests check it is 0). */
export function liveMachines(): number {
  return groups.size;
}
