// The in-OS tests of component folders (a folder's `test.ts`, built as the
// test component NAME-test: sdk/host/components.ts), found in the image
// table rather than listed. Each runs as a program of its own: a service
// that init starts on request is started first (its test talks to it), the
// test is spawned with the grant of its folder's `@test` lines, and its exit
// status is its verdict (0: passed). A test that does not end within
// COMPONENT_TEST_LIMIT is killed and fails.

import { componentKill, COMPONENT_STATE_EXITED, COMPONENT_STATE_FAULTED, ERROR_TIMED_OUT } from "../../../ipc/generated/index";
import { ImageComponent } from "../../../sdk/lib/image";
import { Check, describeStatus } from "./check";
import { initStart } from "./init-client";
import { awaitEnd, spawn, status, takeEndPulse } from "./supervision";

const COMPONENT_TEST_LIMIT: i64 = 60_000_000_000;

export function runComponentTest(check: Check, component: ImageComponent): void {
  if (component.parent == "init" && component.restart && component.bootOrder < 0
    && !check.succeeded(initStart(component.name), "init.start " + component.name)) return;
  const id = spawn(component.testPath, component.testGrant);
  if (!check.succeeded(id, "component.spawn " + component.testPath)) return;
  const state = awaitEnd(<u32>id, COMPONENT_TEST_LIMIT);
  if (state == ERROR_TIMED_OUT) {
    componentKill(<u32>id);
    check.ok(false, component.testName + " did not end within " + (COMPONENT_TEST_LIMIT / 1_000_000_000).toString() + " s");
    return;
  }
  if (!check.succeeded(state, "component.status of " + component.testName)) return;
  if (state == COMPONENT_STATE_FAULTED) {
    check.ok(false, component.testName + " faulted: trap kind " + status.trap.toString() + " in wasm function "
      + status.functionIndex.toString() + " at offset 0x" + status.wasmOffset.toString(16));
    return;
  }
  if (!check.ok(state == COMPONENT_STATE_EXITED, component.testName + " ended in state " + describeStatus(state))) return;
  if (!check.equal(status.exitStatus, 0, component.testName + "'s exit status")) return;
  check.ok(takeEndPulse(<u32>id), "no end pulse for " + component.testName);
  check.summary = component.testName + " exited 0";
}
