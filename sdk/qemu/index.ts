// The QEMU harness: boots Delos images on q35 + OVMF and drives them (serial,
// screendumps, keyboard, pointer, power) for the CLI, tests and benchmarks.
export { Machine, DEBUG_EXIT_PORT, type MachineOptions, type Display, type Accel } from "./machine";
export { SetupError, BootError, INSTALL_QEMU } from "./errors";
export { parseKeys, type Chord } from "./keys";
export { readPpm, readPng, writePng, pixelAt, type Picture } from "./png";
export { kvmWorks } from "./kvm";
export { killAll, liveMachines } from "./reaper";
export { checkImage } from "./image-check";
