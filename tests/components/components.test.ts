// Components as folders (sdk/host/components.ts) and `delos new`
// (sdk/cli/commands/new.ts): the repository's component folders read back,
// a manifest's mistakes are refused with the file and line, and a folder
// written by `delos new` for each kind builds — its component and its in-OS
// test — in a copy of what components build against (the build's own asc
// flags), with a driver's or server's protocol generated into the folder's
// generated/ and usable by a client in another folder; a folder protocol
// that clashes with the table's or another folder's is refused. `npm test` runs the new folders' in-OS tests only when one is in
// the tree; tests/kernel/os.test.ts expects a verdict from each that is.

import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { TestFunction } from "../harness";
import { COMPONENT_MANIFEST, ComponentError, SHADOW_STACK_EXPORTS, componentAscFlags, discoverComponents, readComponent, selectComponents } from "../../sdk/host/components";
import { repoRoot } from "../../sdk/host/paths";
import { newComponent } from "../../sdk/cli/commands/new";
import { UsageError } from "../../sdk/cli/command";
import { readRecipe, recipeComponents } from "../../sdk/host/recipe";
import { loadDeclaredProtocols } from "../../ipc/components";
import { compareWithTree } from "../../ipc/compare";
import { generateAll } from "../../ipc/generator/index";
import { table } from "../../ipc/table/index";
import { checkTree } from "../repo/boundaries";

const run = promisify(execFile);

/** A client of new-server in another folder: it imports the server's generated client bindings. */
const CLIENT = `import "../../../sdk/lib/abort";
import { componentExit, msgSend, nameOpen } from "../../../ipc/generated/index";
import { NEW_SERVER_PATH, NEW_SERVER_PING, NEW_SERVER_PING_REPLY_SIZE, NEW_SERVER_PING_REQUEST_SIZE, NewServerPingReply, NewServerPingRequest }
  from "../../../servers/new-server/generated/protocols/new-server";

export function _start(): void {
  const connection = nameOpen(NEW_SERVER_PATH, 1_000_000_000);
  const request = changetype<NewServerPingRequest>(heap.alloc(NEW_SERVER_PING_REQUEST_SIZE));
  const reply = changetype<NewServerPingReply>(heap.alloc(NEW_SERVER_PING_REPLY_SIZE));
  request.operation = NEW_SERVER_PING;
  request.value = 1;
  const status = msgSend(connection, changetype<usize>(request), NEW_SERVER_PING_REQUEST_SIZE, changetype<usize>(reply), NEW_SERVER_PING_REPLY_SIZE);
  componentExit(status == 0 && reply.value == 2 ? 0 : 1);
}
`;

/** What component folders build against, copied into a fresh root with the repository's node_modules. */
function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "delos-components-"));
  for (const path of ["sdk/lib", "sdk/templates", "ipc/generated", "ipc/client", SHADOW_STACK_EXPORTS]) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    cpSync(join(repoRoot, path), join(root, path), { recursive: true });
  }
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
  return root;
}

/** The message of the error `action` throws, or "" when it throws none. */
function errorOf(action: () => unknown, type: new (...args: any[]) => Error): string {
  try { action(); } catch (error) { if (error instanceof type) return error.message; throw error; }
  return "";
}

export function register(test: TestFunction): void {
  test("the repository's component folders: every one read, init's and the runner's in the test image, the fuzzer's in its own", (t) => {
    const components = discoverComponents();
    const names = components.map((component) => component.name);
    t.ok(names.includes("init") && names.includes("runner") && names.includes("echo-v2") && names.includes("fuzz-worker"), `found ${names.length}: ${names.join(" ")}`);
    const echo = components.find((component) => component.name === "echo")!;
    t.eq(echo.payload, "test/echo.wasm", "a tests/os component lies under test/ in the payload");
    t.eq(echo.grant, "kind server\nserve /test/echo\nopen /init", "its grant: the manifest's kernel lines without the name");
    t.ok(!echo.manifest.includes("@"), "the embedded manifest carries no @ line");
    const test = recipeComponents(readRecipe("test"));
    t.eq(test.boot, ["runner", "pci"], "the test image starts the runner and, for the drivers' tests, the PCI bus server at boot");
    t.ok(test.components.some((component) => component.name === "init") && !test.components.some((component) => component.name.startsWith("fuzz")),
      "the test image carries init and no fuzzer");
    const fuzz = recipeComponents(readRecipe("fuzz"));
    t.eq(fuzz.components.map((component) => component.name).sort(), ["fuzz", "fuzz-heartbeat", "fuzz-victim", "fuzz-worker", "init"], "the fuzz image's components");
  });

  test("a manifest's or a recipe's mistakes are refused, naming the file and line", (t) => {
    const root = mkdtempSync(join(tmpdir(), "delos-components-"));
    try {
      const folder = join(root, "servers", "odd");
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, "odd.ts"), "");
      const cases: Array<[string, string]> = [
        ["name odd\nkind server\n@restart sometimes\n", `servers/odd/${COMPONENT_MANIFEST}:3: @restart is always or never`],
        ["name odd\nkind server\n@colour blue\n", `servers/odd/${COMPONENT_MANIFEST}:3: unknown entry "@colour"`],
        ["name odd\nkind server\nlisten /x\n", `servers/odd/${COMPONENT_MANIFEST}:3: unknown entry "listen"`],
        ["name odd\nkind gadget\n", `servers/odd/${COMPONENT_MANIFEST}:2: kind is driver, server, app, test or supervisor`],
        ["kind server\n", "the manifest names no component"],
        ["name even\nkind server\n", "named after its folder"],
        ["name odd\nkind server\n@test open /x\n", "@test lines but no test.ts"],
        ["name odd\nkind server\n@rewrite absent.mjs\n", "servers/odd/absent.mjs does not exist"],
      ];
      for (const [text, expected] of cases) {
        writeFileSync(join(folder, COMPONENT_MANIFEST), text);
        const message = errorOf(() => readComponent("servers/odd", root), ComponentError);
        t.ok(message.includes(expected), `${JSON.stringify(text)}: ${message || "accepted"}`);
      }
      writeFileSync(join(folder, COMPONENT_MANIFEST), "name odd\nkind server\n");
      const all = discoverComponents(root);
      t.ok(errorOf(() => selectComponents({ include: ["even"] }, all, "r.json"), ComponentError).includes("no component \"even\""), "a recipe naming no component");
      t.ok(errorOf(() => selectComponents({ include: ["servers/*"], boot: ["odd"] }, all, "r.json"), ComponentError).includes("needs init"), "a boot list without init");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("delos new refuses bad names, unknown kinds, existing folders and taken names", (t) => {
    const root = scratchRoot();
    try {
      t.ok(errorOf(() => newComponent("app", "Bad_Name", root), UsageError).includes("not a component name"), "a bad name");
      t.ok(errorOf(() => newComponent("app", "x-test", root), UsageError).includes("-test"), "a name of the tests");
      t.ok(errorOf(() => newComponent("widget", "x", root), UsageError).includes("no component kind"), "an unknown kind");
      newComponent("app", "twice", root);
      t.ok(errorOf(() => newComponent("app", "twice", root), UsageError).includes("exists already"), "an existing folder");
      t.ok(errorOf(() => newComponent("server", "twice", root), UsageError).includes("desktop/apps/twice is a component of that name"), "a name another folder has");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a folder's protocol that clashes with the table's or another folder's, or is not of the table's shape, is refused naming both places", (t) => {
    const root = scratchRoot();
    try {
      const clash = errorOf(() => newComponent("driver", "input", root), UsageError);
      t.ok(clash.includes("protocol input: declared twice, in the table (ipc/table/protocols) and in drivers/input/protocol.ts"), `delos new driver input: ${clash}`);
      t.ok(!existsSync(join(root, "drivers/input")), "and writes no folder");
      newComponent("server", "alpha", root);
      newComponent("server", "beta", root);
      const beta = join(root, "servers/beta/protocol.ts");
      writeFileSync(beta, readFileSync(beta, "utf8").replace(`name: "beta"`, `name: "alpha"`));
      const twice = errorOf(() => generateAll(table, loadDeclaredProtocols(root).folders), Error);
      t.ok(twice.includes("protocol alpha: declared twice, in servers/alpha/protocol.ts and in servers/beta/protocol.ts"), `two folders: ${twice}`);
      writeFileSync(beta, readFileSync(beta, "utf8").replace(`name: "alpha"`, `name: "beta"`).replace(`type: "u32"`, `type: "float"`));
      const shape = errorOf(() => loadDeclaredProtocols(root), Error);
      t.ok(shape.includes("servers/beta/protocol.ts: protocol beta messages[0] request[0]: `type` is one of i32, u32, i64, u64, bytes"), `a field of no table type: ${shape}`);
      writeFileSync(beta, "export const protocol = [];\n");
      t.ok(errorOf(() => loadDeclaredProtocols(root), Error).includes("servers/beta/protocol.ts: exports no `protocols` array"), "no protocols export");
      writeFileSync(beta, "export const protocols = [;\n");
      t.ok(errorOf(() => loadDeclaredProtocols(root), Error).includes("servers/beta/protocol.ts:1: "), "a syntax error, with its line");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("delos new writes a driver, a server and an app that build, each with its in-OS test; a client in another folder builds against the server's protocol", async (t) => {
    const root = scratchRoot();
    try {
      const asc = join(repoRoot, "node_modules", ".bin", "asc");
      for (const [kind, folder] of [["driver", "drivers"], ["server", "servers"], ["app", "desktop/apps"], ["client", "desktop/apps"]] as const) {
        const name = `new-${kind}`;
        if (kind === "client") {
          // Not a kind of delos new: an app of another folder that talks to new-server.
          mkdirSync(join(root, folder, name), { recursive: true });
          writeFileSync(join(root, folder, name, COMPONENT_MANIFEST), `name ${name}\nkind app\nopen /svc/new-server\n@restart never\n`);
          writeFileSync(join(root, folder, name, `${name}.ts`), CLIENT);
        } else {
          const written = newComponent(kind, name, root);
          t.ok(written.includes(`${folder}/${name}/${COMPONENT_MANIFEST}`) && written.includes(`${folder}/${name}/test.ts`), `${kind}: ${written.join(", ")}`);
          if (kind !== "app") {
            const generated = [`${folder}/${name}/protocol.ts`, `${folder}/${name}/generated/protocols/${name}.ts`, `${folder}/${name}/generated/servers/${name}.ts`,
              `${folder}/${name}/generated/protocols.md`];
            t.ok(generated.every((path) => written.includes(path) && existsSync(join(root, path))), `${kind}: its protocol's declaration and generated files, in its folder`);
            t.ok(readFileSync(join(root, folder, name, `${name}.ts`), "utf8").includes(`extends ${kind === "server" ? "NewServer" : "NewDriver"}Handlers`),
              `${kind}: its server is the handlers of the generated server side`);
            t.ok(readFileSync(join(root, folder, name, COMPONENT_MANIFEST), "utf8").includes("@protocol protocol.ts"), `${kind}: its manifest names the declaration`);
          }
        }
        const component = discoverComponents(root).find((found) => found.name === name);
        t.ok(component !== undefined && (component.test !== null || kind === "client"), `${kind}: found by its manifest, with its test`);
        if (!component) continue;
        const builds: Array<readonly [string, string, string[]]> = [[component.entry, component.output, componentAscFlags(component)]];
        if (component.test) builds.push([component.test.entry, component.test.output, componentAscFlags(component, true)]);
        for (const [entry, output, flags] of builds) {
          mkdirSync(dirname(join(root, output)), { recursive: true });
          try {
            await run(asc, [entry, "-o", output, "-O3", "--runtime", "stub", ...flags], { cwd: root });
          } catch (error) {
            t.fail(`${kind}: asc ${entry}: ${(error as { stderr?: string }).stderr ?? error}`);
            continue;
          }
          const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(root, output)))).map((e) => e.name);
          t.ok(exports.includes("_start") && exports.includes("_initialize"), `${kind}: ${entry} builds to a component (${exports.join(", ")})`);
        }
      }
      const { folders, generatedFolders } = loadDeclaredProtocols(root);
      t.eq(folders.map((f) => f.file), ["drivers/new-driver/protocol.ts", "servers/new-server/protocol.ts"], "the generator finds both declarations");
      const problems = compareWithTree(root, generateAll(table, folders), generatedFolders).filter((problem) => !/^(ipc|kernel|docs)\//.test(problem));
      t.eq(problems, [], "the folders' generated files are what the generator makes of them");
      t.eq(checkTree(root).map((v) => `${v.file}:${v.line} imports ${v.target}: ${v.rule}`), [], "the client's import of the server's bindings crosses no boundary");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    t.ok(!existsSync(root), "the scratch copy is gone");
  }, { timeout: 180_000 });
}
