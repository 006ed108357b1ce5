// The in-OS test of greeter (the test runner runs it in the test image):
// the app loads, runs and ends with exit status 0.

import "../../../sdk/lib/abort";
import { componentExit } from "../../../ipc/generated/index";
import { expect, runToEnd } from "../../../sdk/lib/test";

export function _start(): void {
  expect(runToEnd("apps/greeter.wasm", "") == 0, "greeter ends with exit status 0");
  componentExit(0);
}
