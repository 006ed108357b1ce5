// Tab completion of the word before the cursor: the first word from the
// commands and the programs of the payload (apps/NAME.wasm), the name
// after kill, start, restart and replace from the components of init's
// list, any other word as a path (absolute, or relative to the current
// directory) of the tree `ls` shows or of a mounted volume. One candidate is
// completed (a space after it, unless it is a folder); several are
// completed as far as they agree, and listed when they agree no further.

import { COMMANDS, initComponentNames } from "./commands";
import { Editor } from "./editor";
import { FileCommands } from "./files";
import { Namespace } from "./namespace";
import { Session } from "./session";

const NAME_COMMANDS: string[] = ["kill", "start", "restart", "replace"];

export function complete(editor: Editor): void {
  const session = editor.session;
  const before = session.line.substring(0, session.cursor);
  const start = before.lastIndexOf(" ") + 1;
  const word = before.substring(start);
  const previous = before.substring(0, start).trim();
  let candidates: string[];
  if (previous.length == 0) candidates = commandCandidates();
  else if (previous.indexOf(" ") < 0 && NAME_COMMANDS.includes(previous)) candidates = initComponentNames();
  else candidates = pathCandidates(word, session);
  const matching = new Array<string>();
  for (let i = 0; i < candidates.length; i++) {
    if (candidates[i].startsWith(word) && !matching.includes(candidates[i])) matching.push(candidates[i]);
  }
  if (matching.length == 0) return;
  matching.sort();
  if (matching.length == 1) {
    const only = matching[0];
    editor.insert(only.substring(word.length) + (only.endsWith("/") ? "" : " "));
    return;
  }
  const common = commonPrefix(matching);
  if (common.length > word.length) { editor.insert(common.substring(word.length)); return; }
  editor.reprint();
  editor.out.line(matching.join("  "));
}

function commandCandidates(): string[] {
  const candidates = COMMANDS.slice(0);
  const files = new Namespace().files;
  for (let i = 0; i < files.length; i++) {
    const path = files[i].path;
    if (path.startsWith("apps/") && path.endsWith(".wasm") && path.indexOf("/", 5) < 0) candidates.push(path.substring(5, path.length - 5));
  }
  return candidates;
}

/** The entries of the folder `word` is in, as `word` would be completed to each. */
function pathCandidates(word: string, session: Session): string[] {
  const candidates = new Array<string>();
  // What is typed up to the last slash stays as typed; the folder it names is listed.
  const typed = word.substring(0, word.lastIndexOf("/") + 1);
  const files = new FileCommands(session);
  const folder = files.absolute(typed.length == 0 ? "." : typed);
  if (files.volume(folder) != null) {
    const names = files.completions(folder);
    for (let i = 0; i < names.length; i++) candidates.push(typed + names[i]);
  } else {
    const entries = new Namespace().list(folder);
    if (entries != null) for (let i = 0; i < entries.length; i++) candidates.push(typed + entries[i].name + (entries[i].isFolder ? "/" : ""));
  }
  files.done();
  return candidates;
}

function commonPrefix(texts: string[]): string {
  let prefix = texts[0];
  for (let i = 1; i < texts.length; i++) {
    let length = 0;
    while (length < prefix.length && length < texts[i].length && prefix.charCodeAt(length) == texts[i].charCodeAt(length)) length++;
    prefix = prefix.substring(0, length);
  }
  return prefix;
}
