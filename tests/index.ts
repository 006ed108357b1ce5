// Every test of `npm test`, in the order they run. `npm test -- NAME` runs
// only the files whose name contains NAME.
import { runTestsAndExit } from "./harness";
import * as harness from "./repo/harness.test";
import * as boundaries from "./repo/boundaries.test";
import * as typecheck from "./repo/typecheck.test";
import * as components from "./components/components.test";
import * as ipcGenerator from "./ipc/generator.test";
import * as ipcClient from "./ipc/client.test";
import * as validator from "./compiler/validator.test";
import * as assembler from "./compiler/assembler.test";
import * as codegenInteger from "./compiler/codegen-integer.test";
import * as codegenFloat from "./compiler/codegen-float.test";
import * as codegenMemory from "./compiler/codegen-memory.test";
import * as codegenControl from "./compiler/codegen-control.test";
import * as codegenLimits from "./compiler/codegen-limits.test";
import * as component from "./compiler/component.test";
import * as runtimeFloat from "./runtime/float.test";
import * as runtimeOutput from "./runtime/output.test";
import * as runtimeWasi from "./runtime/wasi.test";
import * as linux from "./compiler/linux.test";
import * as spec from "./spec/spec.test";
import * as fuzz from "./fuzz/fuzz.test";
import * as bootImage from "./boot/image.test";
import * as bootPe from "./boot/pe.test";
import * as bootHarness from "./boot/harness.test";
import * as bootKernelLink from "./boot/kernel-link.test";
import * as boot from "./boot/boot.test";
import * as kernelOs from "./kernel/os.test";
import * as kernelFuzz from "./kernel/fuzz.test";
import * as kernelKeyboard from "./kernel/keyboard.test";
import * as devices from "./devices/devices.test";
import * as bootstrap from "./compiler/bootstrap.test";
import * as glyphAtlas from "./desktop/glyph-atlas.test";
import * as desktopGraphics from "./desktop/graphics.test";
import * as desktopCompositor from "./desktop/compositor.test";
import * as fsLibrary from "./fs/fs.test";
import * as fsCli from "./fs/cli.test";
import * as desktopTerminal from "./desktop/terminal.test";
import * as desktopToolkit from "./desktop/toolkit.test";
import * as desktopMonitor from "./desktop/monitor.test";
import * as fsVolumes from "./fs/volumes.test";
import * as codegenShape from "./compiler/codegen-shape.test";
import * as desktopRestart from "./desktop/restart.test";
import * as storage from "./storage/storage.test";
import * as storageMount from "./storage/mount.test";
import * as install from "./install/install.test";
import * as desktopBoot from "./desktop/desktop.test";
import * as compilerIr from "./compiler/ir.test";
import * as shellFiles from "./desktop/shell-files.test";
import * as desktopApps from "./desktop/apps.test";
import * as desktopPointer from "./desktop/pointer.test";
import * as compilerTier2 from "./compiler/tier2.test";

const files = [
  { name: "harness", register: harness.register },
  { name: "boundaries", register: boundaries.register },
  { name: "typecheck", register: typecheck.register },
  { name: "components", register: components.register },
  { name: "ipc-generator", register: ipcGenerator.register },
  { name: "ipc-client", register: ipcClient.register },
  { name: "validator", register: validator.register },
  { name: "assembler", register: assembler.register },
  { name: "codegen-integer", register: codegenInteger.register },
  { name: "codegen-float", register: codegenFloat.register },
  { name: "codegen-memory", register: codegenMemory.register },
  { name: "codegen-control", register: codegenControl.register },
  { name: "codegen-limits", register: codegenLimits.register },
  { name: "component", register: component.register },
  { name: "runtime float", register: runtimeFloat.register },
  { name: "runtime output", register: runtimeOutput.register },
  { name: "runtime wasi", register: runtimeWasi.register },
  { name: "linux", register: linux.register },
  { name: "spec", register: spec.register },
  { name: "fuzz", register: fuzz.register },
  { name: "glyph-atlas", register: glyphAtlas.register },
  { name: "desktop-graphics", register: desktopGraphics.register },
  { name: "desktop-compositor", register: desktopCompositor.register },
  { name: "fs-library", register: fsLibrary.register },
  { name: "fs-cli", register: fsCli.register },
  { name: "desktop-terminal", register: desktopTerminal.register },
  { name: "desktop-toolkit", register: desktopToolkit.register },
  { name: "desktop-monitor", register: desktopMonitor.register },
  { name: "boot-image", register: bootImage.register },
  { name: "boot-pe", register: bootPe.register },
  { name: "boot-harness", register: bootHarness.register },
  { name: "boot-kernel-link", register: bootKernelLink.register },
  { name: "boot-qemu", register: boot.register },
  { name: "kernel-os", register: kernelOs.register },
  { name: "kernel-fuzz", register: kernelFuzz.register },
  { name: "kernel-keyboard", register: kernelKeyboard.register },
  { name: "devices", register: devices.register },
  { name: "bootstrap", register: bootstrap.register },
  { name: "fs-volumes", register: fsVolumes.register },
  { name: "codegen-shape", register: codegenShape.register },
  { name: "desktop-restart", register: desktopRestart.register },
  { name: "storage", register: storage.register },
  { name: "desktop", register: desktopBoot.register },
  { name: "compiler-ir", register: compilerIr.register },
  { name: "shell-files", register: shellFiles.register },
  { name: "desktop-apps", register: desktopApps.register },
  { name: "desktop-pointer", register: desktopPointer.register },
  { name: "compiler-tier2", register: compilerTier2.register },
  { name: "storage-mount", register: storageMount.register },
  { name: "install", register: install.register },
];

await runTestsAndExit(files, process.argv[2]);
