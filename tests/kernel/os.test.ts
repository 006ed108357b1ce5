// The in-OS tests (tests/os), run in QEMU: one boot of the test image, in
// which init starts the test runner and the runner runs every test program
// and prints a verdict per test on COM1 (tests/os/README.md). Each in-OS
// test is one test here, so a failure names its claim; the host also checks
// what it can see better than the guest: that the runner ran every test
// once, that the kernel never halted, and that the traps the trap test
// provoked were reported at the right functions of the trapping program.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { buildDir } from "../../sdk/host/paths";
import { kernelFunctions } from "../boot/kernel-wasm";
import { sharedBoot } from "./os-boot";
import { readRecipe, recipeComponents } from "../../sdk/host/recipe";
import { kernelFailures, parseReport, type OsReport } from "./report";

/** The runner's own tests (tests/os/runner/runner.ts), in its order, with the claim each checks. */
export const RUNNER_TESTS: Array<{ name: string; claim: string }> = [
  { name: "malformed-calls", claim: "malformed system-call arguments (bad handles, pointers outside the caller's memory, lengths that overflow) are rejected with an error" },
  { name: "ping-pong", claim: "ping-pong between two components: every reply carries its request's sequence and data" },
  { name: "message-timeouts", claim: "thread.timeout makes the next message call fail with TIMED_OUT in the states it names, leaving cleanly: out of the senders with its handle dropped, or out of the server, whose reply then finds no sender" },
  { name: "many-clients", claim: "many client components on one server, each answered correctly" },
  { name: "priority-inheritance", claim: "a low-priority server serving a high-priority client runs at the client's priority, ahead of a busy medium-priority component" },
  { name: "priority-clients", claim: "a server holding several clients' messages runs at the highest of their priorities until it has answered them all" },
  { name: "priority-chain", claim: "priority passes along a chain of servers, also when it changes at the head of a chain that stands, ahead of a busy medium-priority component" },
  { name: "priority-cycle", claim: "a cycle of servers waiting on each other passes priority round without looping, and gives it back once a timeout breaks it" },
  { name: "shared-memory", claim: "a memory object shared by handle is seen by both sides" },
  { name: "state-object", claim: "a state object survives its server's death and is re-attached by the next instance" },
  { name: "traps", claim: "every trap kind kills only the trapping component, reported to its supervisor with its location, while others keep running" },
  { name: "restart-stream", claim: "a server killed in the middle of a stream of requests is restarted, and the client sees every request answered once, in order" },
  { name: "name-take-over", claim: "name.register with NAME_TAKE_OVER moves a name in one step, only from an instance of the same identity or one the caller supervises" },
  { name: "replace", claim: "init replaces a running server by a new version: start the new one, move the name, retire the old one; no request is lost and name.open never finds the name missing" },
  { name: "interrupts", claim: "a device interrupt line (the CMOS clock's) arrives as pulses at its rate, is masked until unmasked, wakes its driver ahead of a busy component, and is freed by its driver's end for the next instance" },
  { name: "time-slices", claim: "two busy components of one priority share the processor while a higher priority wakes at every tick: a preempted thread runs out the rest of its slice, one whose slice is over goes to the back of its queue" },
  { name: "component-threads", claim: "threads of one component under AssemblyScript's full runtime keep their managed data across blocking calls and collections (each has shadow-stack frames of its own); one thread too many is refused with NO_MEMORY, and one blocking with more frames than its slot holds faults its component" },
  { name: "authority", claim: "a component's name, rights and limits come from its parent: a hostile component cannot serve, take over or reach another server's name or state, grant a child more than it holds, pass its priority ceiling or its quotas, nor crowd its end notice out of its supervisor's queue" },
  { name: "hostile-overflow", claim: "a thread calling a function with a frame larger than its stack ends its component alone with call stack exhausted; a victim with data deep on its own stack finds it intact" },
  { name: "hostile-memory", claim: "an app handing the kernel read-only pages to write into (records, receive buffers and receiveInfo, reply buffers) gets BAD_ADDRESS from each such call alone; nothing is lost, the echo server answers on, the timer ticks" },
  { name: "hostile-stack", claim: "memory.grow and system calls made with the caller's stack nearly used up are refused before they change anything (grow: -1 with interrupts on; a send: a stack trap of the caller in kernel code); the echo server answers on, the timer ticks" },
  { name: "direct-calls", claim: "direct calls (msg.serve_direct): requests answered on the client's thread, REPLY_LATER handed to the server's; two threads of a client calling at once each get their own replies; a handler's system call or trap ends the server alone with DEAD_SERVER for the client; a handler spinning forever lets the client's other threads and the timer run and ends with DEAD_SERVER when the server is restarted; a client deep in its stack is served by the server's thread; a client killed while its thread is in a handler ends at once and its thread once the handler is over; msg.serve_direct's argument checks" },
  { name: "handle-numbers", claim: "a closed handle's number is not handed out again by later creations (40,000 of them, past what a 15-bit generation tells apart) and stays BAD_HANDLE" },
  { name: "malformed-requests", claim: "every generated protocol server answers each request cut short, too long or of an unknown operation with an error reply, and the same instance goes on serving correct requests" },
];

/** The trap kinds the trap test provokes, with the function of tests/os/trapper.ts that traps. */
export const TRAPS: Array<{ kind: number; message: string; function: string }> = [
  { kind: 1, message: "unreachable", function: "unreachableTrap" },
  { kind: 2, message: "integer divide by zero", function: "divideByZero" },
  { kind: 3, message: "integer overflow", function: "divideOverflow" },
  { kind: 4, message: "invalid conversion to integer", function: "invalidConversion" },
  { kind: 5, message: "out of bounds memory access", function: "outOfBoundsLoad" },
  { kind: 6, message: "undefined element", function: "undefinedElement" },
  { kind: 7, message: "uninitialized element", function: "uninitializedElement" },
  { kind: 8, message: "indirect call type mismatch", function: "typeMismatch" },
  { kind: 9, message: "call stack exhausted", function: "recurse" },
  { kind: 10, message: "out of bounds table access", function: "tableOutOfBounds" },
];

/**
 * Every verdict the test image's runner must print, in its order: its own
 * tests, then the in-OS test of each component of the image that has one
 * (a component folder's test.ts), found the way the build finds them.
 */
export function expectedVerdicts(): Array<{ name: string; claim: string }> {
  const tested = recipeComponents(readRecipe("test")).components.filter((component) => component.test !== null);
  return [...RUNNER_TESTS, ...tested.map((component) => ({
    name: component.test!.name,
    claim: `the in-OS test of component ${component.name} (${component.folder}/test.ts) ends with exit status 0`,
  }))];
}

const TEST_OPTIONS = { timeout: 420_000 };

type Assert = Parameters<Parameters<TestFunction>[1]>[0];

/** The trap test's notes (`trap KIND function F offset 0xW`) against the trapper's wasm. */
function checkTrapLocations(t: Assert, report: OsReport): void {
  const path = join(buildDir, "os", "test", "trapper.wasm");
  if (!existsSync(path)) { t.fail(`${path} is missing`); return; }
  const functions = kernelFunctions(readFileSync(path));
  const notes = report.results.get("traps")?.notes ?? [];
  for (const trap of TRAPS) {
    const note = notes.map((text) => new RegExp(`^trap ${trap.kind} \\(([^)]*)\\) function (\\d+) offset 0x([0-9a-f]+)`).exec(text)).find((match) => match !== null);
    t.ok(note !== undefined, `trap ${trap.kind} (${trap.message}) reported with a location`);
    if (!note) continue;
    const index = Number(note[2]), offset = parseInt(note[3]!, 16);
    const f = functions[index];
    t.eq(note[1], trap.message, `trap ${trap.kind}: the supervisor was told the right kind`);
    t.ok(f !== undefined && f.name.endsWith(`/${trap.function}`), `trap ${trap.kind}: function ${index} is ${trap.function} (${f?.name ?? "none"})`);
    t.ok(f !== undefined && offset >= f.bodyStart && offset < f.bodyEnd, `trap ${trap.kind}: offset 0x${offset.toString(16)} lies in its body`);
  }
}

export function register(test: TestFunction): void {
  const expected = expectedVerdicts();
  test("the test image runs the in-OS test runner to its end; the kernel never halts", async (t) => {
    const boot = await sharedBoot();
    t.eq(boot.problem, null, "the runner printed its end line");
    t.eq(kernelFailures(boot.serial), [], "no kernel halt or kernel trap");
    const report = parseReport(boot.serial);
    t.eq(report.announced, expected.length, "the runner announced every test");
    t.eq([...report.results.keys()], expected.map((entry) => entry.name), "each test reported once, in order");
    t.eq(report.unfinished, [], "no test started without a verdict");
    t.eq(report.repeated, [], "no test reported twice");
    const failed = [...report.results.values()].filter((result) => !result.passed).length;
    t.eq(report.end, { passed: report.results.size - failed, failed }, "the end line adds up");
    console.log(`os: runner ended after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}): ${report.end?.passed ?? 0} passed, ${report.end?.failed ?? 0} failed`);
  }, TEST_OPTIONS);

  for (const entry of expected) {
    test(`${entry.name}: ${entry.claim}`, async (t) => {
      const boot = await sharedBoot();
      const result = parseReport(boot.serial).results.get(entry.name);
      t.ok(result !== undefined, `${entry.name} reported a verdict${boot.problem ? ` (${boot.problem})` : ""}`);
      if (!result) return;
      t.ok(result.passed, `${entry.name}: ${result.text}`);
      if (entry.name === "traps") checkTrapLocations(t, parseReport(boot.serial));
    }, TEST_OPTIONS);
  }
}
