// Does a native outcome agree with V8's? Values must have the same bits,
// except that two NaNs agree whatever their payloads (the spec leaves
// payloads to the engine). Traps must be of the same kind: V8's message may
// stand for two ABI kinds (tests/spec/traps.ts), and the native one must be
// one of them (or, V8 against V8, share one). A command that did not run natively never agrees.

import { Outcome } from "../spec/script";
import { isNan } from "../spec/values";

export function agree(reference: Outcome, native: Outcome): boolean {
  if (reference.kind === "values" && native.kind === "ok") return reference.values.length === 0;
  if (reference.kind === "ok" && native.kind === "values") return native.values.length === 0;
  if (reference.kind !== native.kind) return false;
  switch (reference.kind) {
    case "ok": return true;
    case "values": {
      const values = (native as typeof reference).values;
      return values.length === reference.values.length && reference.values.every((value, i) =>
        value.type === values[i].type && (value.bits === values[i].bits || (isNan(value) && isNan(values[i]))));
    }
    case "trap": {
      const alternatives = reference.message.split(" | ");
      return (native as typeof reference).message.split(" | ").some((message) => alternatives.includes(message));
    }
    case "unlinkable": return true;
    case "error":
    case "not-run": return false;
  }
}
