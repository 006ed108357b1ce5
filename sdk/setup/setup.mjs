// The one set-up step behind `npm start`, `npm test` and `npm run bench`:
// installs what a fresh machine lacks. npm packages come from package-lock.json
// (`npm ci`); Debian packages are installed with apt-get when running as root,
// otherwise the exact apt-get line is printed and set-up stops.
// Uses only Node's own modules: it runs before node_modules exists.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Debian packages and a file or command that proves each is installed (`also`: other commands it gives that tests run). */
export const debianPackages = [
  { name: "wabt", provides: "wast2json", why: "converts the WebAssembly spec tests" },
  { name: "qemu-system-x86", provides: "qemu-system-x86_64", why: "boots Delos images" },
  { name: "qemu-utils", provides: "qemu-img", why: "inspects and converts disk images" },
  { name: "ovmf", file: "/usr/share/ovmf/OVMF.fd", why: "UEFI firmware for QEMU" },
  { name: "fonts-dejavu-core", file: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", why: "the desktop's font" },
  { name: "mtools", provides: "mdir", also: ["mcopy"], why: "checks the image's FAT32 file system in tests" },
  { name: "dosfstools", provides: "fsck.fat", why: "checks the image's FAT32 file system in tests" },
  { name: "gdisk", provides: "sgdisk", why: "checks the image's GPT in tests" },
  { name: "binutils", provides: "objdump", why: "checks the boot stub's and the kernel's instructions in tests" },
];

function log(text) { console.log(`setup: ${text}`); }

function hasCommand(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function missingDebianPackages() {
  return debianPackages.filter((p) => (p.provides ? !hasCommand(p.provides) : !existsSync(p.file)));
}

function installDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  for (const p of missing) log(`missing Debian package ${p.name} (${p.why})`);
  const line = `apt-get update && apt-get install -y ${names.join(" ")}`;
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    log(`installing: ${names.join(" ")}`);
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", ...names], {
      stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    const still = missingDebianPackages();
    if (still.length) throw new Error(`apt-get did not install ${still.map((p) => p.name).join(", ")}`);
  } else {
    console.error(`setup: Debian packages are missing. Install them as root, then run this again:\n\n  sudo sh -c '${line}'\n`);
    process.exit(1);
  }
}

function installNpmPackages() {
  const lock = join(root, "package-lock.json");
  const installed = join(root, "node_modules", ".package-lock.json");
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  log("installing npm packages (npm ci)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  execFileSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

// Run as a program (npm start, npm test, .ci/run); imported, it only gives the package list (tests/boot/tools.ts).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  installNpmPackages();
  installDebianPackages();
}
