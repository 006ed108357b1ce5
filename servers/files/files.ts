// The file server's `files` instance: the Delos file system on the whole of
// /dev/disk1, an attached disk (the test boot's volume, the power-cut
// workload's), served on /files (serve.ts; README.md).

import "../../sdk/lib/abort";
import { Role } from "../../sdk/image/gpt";
import { Mount, serveMount } from "./serve";

export function _start(): void {
  serveMount(new Mount("/files", "/dev/disk1", Role.Other));
}
