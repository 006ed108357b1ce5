// What the shell sends the terminal: text with `\n` turned into CR LF (the
// terminal moves down without returning), and VT100 sequences, cut at
// `limit` bytes with a note so that no reply outgrows its buffer.

export class Output {
  private readonly parts: string[] = [];
  private bytes: i32 = 0;
  private full: bool = false;

  /** `lineEnd`: what a line feed of text() becomes (CR LF for a terminal, a line feed for a file). */
  constructor(readonly limit: i32, readonly lineEnd: string = "\r\n") {}

  /** Text as is (sequences, redraws). */
  raw(text: string): void {
    if (this.full) return;
    const length = String.UTF8.byteLength(text);
    // Room is kept for the note that says the output was cut.
    if (this.bytes + length > this.limit - 64) {
      this.full = true;
      this.parts.push("\r\n[output cut at " + this.bytes.toString() + " bytes]\r\n");
      return;
    }
    this.parts.push(text);
    this.bytes += length;
  }

  /** Text whose line feeds become CR LF. */
  text(text: string): void { this.raw(this.lineEnd == "\n" ? text : text.replaceAll("\n", this.lineEnd)); }

  /** A line of text and its end. */
  line(text: string): void { this.text(text + "\n"); }

  toString(): string { return this.parts.join(""); }
}
