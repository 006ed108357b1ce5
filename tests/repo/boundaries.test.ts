// Fails on an import that crosses a folder boundary it must not.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { repoRoot } from "../../sdk/host/paths";
import { table } from "../../ipc/table/index";
import { bottomCycles, checkFile, checkTree, kernelLayerOf } from "./boundaries";

export function register(test: TestFunction) {
  test("no import crosses a forbidden boundary", (t) => {
    const violations = checkTree(repoRoot);
    t.eq(violations.map((v) => `${v.file}:${v.line} imports ${v.target}: ${v.rule}`), [], "violations");
  });

  test("the checker catches each kind of violation", (t) => {
    t.eq(checkFile("servers/fs/index.ts", `import { x } from "../../kernel/object/channel";`).length, 1, "server importing the kernel");
    t.eq(checkFile("sdk/compiler/src/decode.ts", `import { readFileSync } from "node:fs";`).length, 1, "portable code importing node:");
    t.eq(checkFile("kernel/main.ts", `import "../desktop/compositor";`).length, 1, "kernel importing the desktop");
    t.eq(checkFile("servers/fs/index.ts", `import { send } from "../../ipc/client";`).length, 0, "server importing ipc/");
    t.eq(checkFile("sdk/host/linux.ts", `import { spawn } from "node:child_process";`).length, 0, "host glue importing node:");
    t.eq(checkFile("desktop/apps/clock/clock.ts", `import { RTC_PATH } from "../../../drivers/rtc/generated/protocols/rtc";`).length, 0,
      "an app importing a driver's generated client bindings");
    t.eq(checkFile("drivers/mouse/mouse.ts", `import { PCI_PATH } from "../../servers/pci/generated/protocols/pci";`).length, 0,
      "a driver importing a server's generated client bindings");
    t.eq(checkFile("desktop/apps/clock/clock.ts", `import { RtcHandlers } from "../../../drivers/rtc/generated/servers/rtc";`).length, 1,
      "an app importing a driver's generated server side");
    t.eq(checkFile("desktop/apps/clock/clock.ts", `import { tick } from "../../../drivers/rtc/rtc";`).length, 1, "an app importing a driver's code");
    t.eq(checkFile("kernel/main.ts", `import { RTC_PATH } from "../drivers/rtc/generated/protocols/rtc";`).length, 1, "the kernel importing a driver's bindings");
  });

  test("the checker catches each kind of kernel layer violation", (t) => {
    t.eq(checkFile("kernel/arch/x86_64/interrupts.ts", `import { schedulerTick } from "../../sched/scheduler";`).length, 1, "arch importing the scheduler");
    t.eq(checkFile("kernel/debug/locations.ts", `import { printComponentLocation } from "../component/locate";`).length, 1, "debug importing a component");
    t.eq(checkFile("kernel/object/channel.ts", `import { componentSpawn } from "../syscall/components";`).length, 1, "an object importing a system call");
    t.eq(checkFile("kernel/syscall/table.ts", `import { defineSystemCalls } from "../generated/dispatch";`).length, 1, "a system call importing the dispatch");
    t.eq(checkFile("kernel/component/end.ts", `import { main } from "../main";`).length, 1, "a component importing main");
    t.eq(checkFile("kernel/extra/thing.ts", ``).length, 1, "a kernel folder in no layer");
    t.eq(checkFile("kernel/object/channel.ts", `import { Component } from "../component/component";\nimport { cli } from "../arch/x86_64/cpu";`).length, 0, "the core importing its own layer and the machine");
    t.eq(checkFile("kernel/main.ts", `import { defineSystemCalls } from "./generated/dispatch";`).length, 0, "main importing the dispatch");
    t.eq(kernelLayerOf("kernel/generated/abi.ts"), 0, "the generated numbers are at the bottom");
    t.eq(kernelLayerOf("kernel/generated/dispatch.ts"), 3, "the generated dispatch above the system calls");
  });

  test("the checker finds import cycles that reach kernel/arch or kernel/debug", (t) => {
    const sources = new Map([
      ["kernel/debug/locations.ts", `import { locate } from "../component/locate";`],
      ["kernel/component/locate.ts", `import { link } from "../arch/x86_64/handoff";`],
      ["kernel/arch/x86_64/handoff.ts", `import { printLocation } from "../../debug/locations";`],
      ["kernel/object/a.ts", `import { b } from "./b";`],
      ["kernel/object/b.ts", `import { a } from "./a";`],
    ]);
    t.eq(bottomCycles(sources), [["kernel/arch/x86_64/handoff.ts", "kernel/component/locate.ts", "kernel/debug/locations.ts"]], "the cycle through debug, not the one among objects");
    sources.set("kernel/arch/x86_64/handoff.ts", ``);
    t.eq(bottomCycles(sources), [], "broken by the registered callback");
  });

  test("kernel/syscall/table.ts maps every system call of ipc/table, in its order, to the function the table names, and nothing else", (t) => {
    const text = readFileSync(join(repoRoot, "kernel/syscall/table.ts"), "utf8");
    const rows: string[] = [];
    const strays: string[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "" || line.startsWith("//")) continue;
      const row = /^\/\* ([a-z_]+\.[a-z_]+(?:, fast path)?) +\*\/ export \{ (\w+) \} +from "\.\.?\/[\w/-]+";$/.exec(line);
      if (row) rows.push(`${row[1]} -> ${row[2]}`);
      else strays.push(line);
    }
    const expected: string[] = [];
    for (const call of table.calls) {
      if (call.fastPath) expected.push(`${call.name}, fast path -> ${call.fastPath}`);
      if (call.kernel) expected.push(`${call.name} -> ${call.kernel}`);
    }
    t.eq(strays, [], "lines that are neither comments nor rows `/* call */ export { function } from \"file\";`");
    t.eq(rows, expected, "one row per call and fast path, in the table's order");
  });
}
