// The in-OS test of {{NAME}} (the test runner runs it in the test image):
// the app loads, runs and ends with exit status 0.

import "{{ROOT}}sdk/lib/abort";
import { componentExit } from "{{ROOT}}ipc/generated/index";
import { expect, runToEnd } from "{{ROOT}}sdk/lib/test";

export function _start(): void {
  expect(runToEnd("apps/{{NAME}}.wasm", "") == 0, "{{NAME}} ends with exit status 0");
  componentExit(0);
}
