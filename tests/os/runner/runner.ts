// The in-OS test runner: init starts it at boot in the test image. It runs
// its own tests (TESTS) and then the in-OS test of every component of the
// image that has one (component-tests.ts), in turn, and prints, on the kernel
// console, the lines tests/os/README.md describes — `ostest: run NAME`,
// notes, one verdict per test, `ostest: end P passed, F failed` — and the
// benchmark figures (`osbench:`) before the end line. A test that hangs
// leaves its `run` line without a verdict; the host test names it.

import "../lib/abort";
import { componentExit } from "../../../ipc/generated/index";
import { line } from "../lib/log";
import { Check } from "./check";
import { connectInit } from "./init-client";
import { startSupervision } from "./supervision";
import { malformedCalls } from "./malformed";
import { pingPong } from "./ping-pong";
import { manyClients } from "./many-clients";
import { priorityInheritance } from "./priority";
import { priorityClients } from "./priority-clients";
import { priorityChain } from "./priority-chain";
import { priorityCycle } from "./priority-cycle";
import { messageTimeouts } from "./timeouts";
import { nameTakeOver } from "./name-take-over";
import { sharedMemory } from "./shared-memory";
import { stateObject } from "./state-object";
import { traps } from "./traps";
import { restartStream } from "./restart-stream";
import { replace } from "./replace";
import { interrupts } from "./interrupts";
import { componentThreads } from "./threads";
import { hostileComponent } from "./authority";
import { hostileMemory, hostileOverflow, hostileStack } from "./hostile";
import { directCalls } from "./direct";
import { timeSlices } from "./time-slices";
import { handleNumbers } from "./counters";
import { malformedRequests } from "./malformed-requests";
import { runBenchmarks } from "./bench";
import { runComponentTest } from "./component-tests";
import { ImageComponent, imageComponents } from "../../../sdk/lib/image";

/** The component whose test is called `testName`. */
function findTested(testName: string): ImageComponent {
  for (let i = 0; i < imageComponents.length; i++) if (imageComponents[i].testName == testName) return imageComponents[i];
  throw new Error("no component test " + testName);
}

class Test {
  constructor(readonly name: string, readonly run: (check: Check) => void) {}
}

/** The runner's own tests, in this order; tests/kernel/os.test.ts lists the same names. */
const TESTS: Test[] = [
  new Test("malformed-calls", malformedCalls),
  new Test("ping-pong", pingPong),
  new Test("message-timeouts", messageTimeouts),
  new Test("many-clients", manyClients),
  new Test("priority-inheritance", priorityInheritance),
  new Test("priority-clients", priorityClients),
  new Test("priority-chain", priorityChain),
  new Test("priority-cycle", priorityCycle),
  new Test("shared-memory", sharedMemory),
  new Test("state-object", stateObject),
  new Test("traps", traps),
  new Test("restart-stream", restartStream),
  new Test("name-take-over", nameTakeOver),
  new Test("replace", replace),
  new Test("interrupts", interrupts),
  new Test("time-slices", timeSlices),
  new Test("component-threads", componentThreads),
  new Test("authority", hostileComponent),
  new Test("hostile-overflow", hostileOverflow),
  new Test("hostile-memory", hostileMemory),
  new Test("hostile-stack", hostileStack),
  new Test("direct-calls", directCalls),
  new Test("handle-numbers", handleNumbers),
  new Test("malformed-requests", malformedRequests),
];

/** The image's components with an in-OS test, in the image table's order; their verdicts follow the runner's own. */
function componentsWithTests(): ImageComponent[] {
  const found = new Array<ImageComponent>();
  for (let i = 0; i < imageComponents.length; i++) if (imageComponents[i].testName.length > 0) found.push(imageComponents[i]);
  return found;
}

export function _start(): void {
  const tested = componentsWithTests();
  for (let i = 0; i < tested.length; i++) {
    const component = tested[i];
    TESTS.push(new Test(component.testName, (check: Check): void => runComponentTest(check, findTested(check.name))));
  }
  line("ostest: begin " + TESTS.length.toString());
  if (!startSupervision() || connectInit() < 0) {
    line("ostest: the runner cannot set up: no /test/runner channel or no connection to /init");
    line("ostest: end 0 passed, " + TESTS.length.toString() + " failed");
    componentExit(1);
  }
  let passed = 0, failed = 0;
  for (let i = 0; i < TESTS.length; i++) {
    const test = TESTS[i];
    line("ostest: run " + test.name);
    const check = new Check(test.name);
    test.run(check);
    if (check.failed) {
      failed++;
      line("ostest: FAIL " + test.name + ": " + check.failure);
    } else {
      passed++;
      line("ostest: ok " + test.name + ": " + (check.summary.length > 0 ? check.summary : "passed"));
    }
  }
  runBenchmarks();
  line("ostest: end " + passed.toString() + " passed, " + failed.toString() + " failed");
  componentExit(failed == 0 ? 0 : 1);
}
