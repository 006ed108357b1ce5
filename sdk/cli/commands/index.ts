// The table of `delos` commands, in the order `delos help` lists them. A new
// command is a file in this folder and one line here.

import type { CliCommand } from "../command";
import { boot, start } from "./boot";
import { build } from "./build";
import { compile } from "./compile";
import { fs } from "./fs";
import { fuzz } from "./fuzz";
import { help } from "./help";
import { create } from "./new";
import { run } from "./run";
import { spec } from "./spec";

export const commands: CliCommand[] = [
  compile,
  run,
  spec,
  build,
  boot,
  start,
  fuzz,
  fs,
  create,
  help,
];
