// The shape of every decode and validation error message:
// "offset 0x2f: function 3: type mismatch: i32.add expects i32, found f64".
// The offset is a byte offset in the module binary, so a reader can find the
// spot with any hex dump; the context names the section or function.

export function hexOffset(offset: u32): string {
  const digits = offset.toString(16);
  return "0x" + (digits.length < 2 ? "0" + digits : digits);
}

export function formatError(offset: u32, context: string, text: string): string {
  return "offset " + hexOffset(offset) + ": " + (context.length ? context + ": " : "") + text;
}
