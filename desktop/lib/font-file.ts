// A glyph atlas read from the boot payload (`fonts/NAME-SIZE.atlas`, which
// the build renders: docs/glyph-atlas.md), for the apps that draw text.

import { payloadRead } from "../../ipc/generated/system";
import { errorName } from "../../ipc/generated/index";
import { log } from "../../sdk/lib/log";
import { Font } from "./text";

/** The atlas at payload `path`, or null (told on the console) when it is missing or refused. */
export function readFontFile(path: string): Font | null {
  const size = payloadRead(path, 0, 0, 0);
  if (size < 0) { log("cannot read " + path + ": " + errorName(size)); return null; }
  const data = heap.alloc(<usize>size);
  const read = payloadRead(path, 0, data, <u32>size);
  if (read < 0) { heap.free(data); log("cannot read " + path + ": " + errorName(read)); return null; }
  const font = Font.open(data, <u32>size);
  if (font == null) { heap.free(data); log(path + ": glyph atlas refused"); }
  return font;
}
