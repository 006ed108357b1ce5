// Says where two final states differ once `delos:state-hash` disagrees:
// which globals (by raw bits, NaN payloads included), which 64 KiB pages of
// memory, and the first differing 8-byte words of the first such pages.
// Each question is one more script run on both sides, replaying the calls
// that led to the state and then reading it through instrument.ts's exports.

import { formatSpec } from "../../sdk/host/script";
import { Outcome, Script, ScriptCommand } from "../spec/script";
import { GLOBAL_EXPORT_PREFIX, PAGE_HASH_EXPORT, PAGES_EXPORT, WORD_EXPORT } from "./instrument";

export type Runner = (script: Script) => Promise<Outcome[]>;

const MODULE_INSTANCE = 1;
const WORDS_SHOWN = 8;
const PAGES_SEARCHED = 2;

function bits(outcome: Outcome): bigint | null {
  return outcome.kind === "values" && outcome.values.length === 1 ? outcome.values[0].bits : null;
}

/** Replays `history`, then `reads`; the outcomes of the reads on both sides. */
async function compareReads(script: Script, history: ScriptCommand[], reads: ScriptCommand[], reference: Runner, native: Runner): Promise<Array<[Outcome, Outcome]>> {
  const replay: Script = { components: script.components, commands: [...history, ...reads] };
  const [v8, ours] = await Promise.all([reference(replay), native(replay)]);
  return reads.map((_, i) => [v8[history.length + i], ours[history.length + i]]);
}

/**
 * Lines describing the difference; `history` is every command of the
 * original script before the state hash was taken, `main` the outcomes of
 * the original run on each side (for the globals read there).
 */
export async function diagnoseState(script: Script, history: ScriptCommand[], main: { reference: Outcome[]; native: Outcome[] }, reference: Runner, native: Runner): Promise<string[]> {
  const lines: string[] = [];
  script.commands.forEach((command, i) => {
    if (command.op !== "get" || !command.name.startsWith(GLOBAL_EXPORT_PREFIX)) return;
    const a = main.reference[i], b = main.native[i];
    if (a.kind === "values" && b.kind === "values" && formatSpec(a.values[0]) !== formatSpec(b.values[0])) {
      lines.push(`global ${command.name.slice(GLOBAL_EXPORT_PREFIX.length)}: V8 ${formatSpec(a.values[0])}, native ${formatSpec(b.values[0])}`);
    }
  });

  const [[pagesOutcome]] = await compareReads(script, history, [{ op: "invoke", instance: MODULE_INSTANCE, name: PAGES_EXPORT, args: [] }], reference, async () => [] as Outcome[]);
  const pages = Number(bits(pagesOutcome) ?? 0n);
  if (pages === 0) return lines.length ? lines : ["no memory, and every global agrees bit for bit"];
  const pageReads: ScriptCommand[] = Array.from({ length: pages }, (_, page) =>
    ({ op: "invoke", instance: MODULE_INSTANCE, name: PAGE_HASH_EXPORT, args: [{ type: "i32", bits: BigInt(page) }] }));
  const differing = (await compareReads(script, history, pageReads, reference, native))
    .map(([a, b], page) => ({ page, same: bits(a) !== null && bits(a) === bits(b) }))
    .filter((entry) => !entry.same).map((entry) => entry.page);
  if (differing.length === 0) {
    if (lines.length === 0) lines.push(`memory (${pages} pages) agrees; no global differs`);
    return lines;
  }
  lines.push(`memory differs in page${differing.length > 1 ? "s" : ""} ${differing.join(", ")} of ${pages}`);
  for (const page of differing.slice(0, PAGES_SEARCHED)) {
    const wordReads: ScriptCommand[] = Array.from({ length: 8192 }, (_, word) =>
      ({ op: "invoke", instance: MODULE_INSTANCE, name: WORD_EXPORT, args: [{ type: "i32", bits: BigInt(page * 65536 + word * 8) }] }));
    const words = await compareReads(script, history, wordReads, reference, native);
    let shown = 0;
    words.forEach(([a, b], word) => {
      if (shown >= WORDS_SHOWN || bits(a) === bits(b)) return;
      shown++;
      const hex = (outcome: Outcome) => bits(outcome) === null ? "?" : `0x${bits(outcome)!.toString(16).padStart(16, "0")}`;
      lines.push(`  word at 0x${(page * 65536 + word * 8).toString(16)}: V8 ${hex(a)}, native ${hex(b)}`);
    });
  }
  return lines;
}
