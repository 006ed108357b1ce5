// Fails on an import that crosses a folder boundary it must not.
import type { TestFunction } from "../harness";
import { repoRoot } from "../../sdk/host/paths";
import { checkFile, checkTree } from "./boundaries";

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
  });
}
