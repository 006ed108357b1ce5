// Where the user's files are, for the apps that show them (the editor, the
// file manager): the file server they talk to and the folder a new file
// goes in; and paths split and joined as those apps write them (absolute,
// `/` between names).

import { FILES_PATH } from "../../ipc/generated/protocols/files";
import { MOUNTS, mounted } from "../../sdk/lib/files";

/**
 * The file server's path in the pathname space: the home volume's (/home)
 * where the image runs it, else the first other volume that answers (a
 * disk attached whole on /files).
 */
export function filesServer(): string {
  for (let i = 0; i < MOUNTS.length; i++) {
    const mount = MOUNTS[i];
    if (mount.prefix != "/system" && mounted(mount)) return mount.server;
  }
  return FILES_PATH;
}
/** The folder the apps start in. */
export const HOME_FOLDER = "/";

/** A path split into its folder and its name (`/a/b.txt`: `/a`, `b.txt`). */
export function splitPath(path: string): string[] {
  const slash = path.lastIndexOf("/");
  return [slash <= 0 ? "/" : path.substring(0, slash), path.substring(slash + 1)];
}

/** `name` in folder `folder`. */
export function joinPath(folder: string, name: string): string { return folder.endsWith("/") ? folder + name : folder + "/" + name; }
