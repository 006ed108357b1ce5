// The file server's `home` instance: the user volume, the boot disk's
// partition of the Delos home type (docs/disk-layout.md), served writable
// on /home (servers/files/serve.ts; README.md).

import "../../sdk/lib/abort";
import { Role } from "../../sdk/image/gpt";
import { Mount, serveMount } from "../files/serve";

export function _start(): void {
  serveMount(new Mount("/home", "/dev/disk0", Role.Home));
}
