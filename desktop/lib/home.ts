// Where the user's files are, for the apps that show them (the editor, the
// file manager): the file server's path and the folder a new file goes in,
// one constant each, so that moving them (to the home volume's path once
// the boot disk's home volume is mounted) is a one-line change; and paths
// split and joined as those apps write them (absolute, `/` between names).

/** The file server's path in the pathname space. */
export const FILES_SERVER = "/files";
/** The folder the apps start in. */
export const HOME_FOLDER = "/";

/** A path split into its folder and its name (`/a/b.txt`: `/a`, `b.txt`). */
export function splitPath(path: string): string[] {
  const slash = path.lastIndexOf("/");
  return [slash <= 0 ? "/" : path.substring(0, slash), path.substring(slash + 1)];
}

/** `name` in folder `folder`. */
export function joinPath(folder: string, name: string): string { return folder.endsWith("/") ? folder + name : folder + "/" + name; }
