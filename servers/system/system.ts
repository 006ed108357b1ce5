// The file server's `system` instance: the system volume, the boot disk's
// partition of the Delos system type (docs/disk-layout.md), served
// read-only on /system, each block verified as it is read against the hash
// tree whose root is in the boot payload (servers/files/serve.ts; README.md).

import "../../sdk/lib/abort";
import { Role } from "../../sdk/image/gpt";
import { Mount, serveMount } from "../files/serve";

export function _start(): void {
  serveMount(new Mount("/system", "/dev/disk0", Role.System));
}
