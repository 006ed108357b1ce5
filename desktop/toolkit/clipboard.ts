// The clipboard, as widgets see it. Where the text lives is the
// implementation's business: on Delos the clipboard server
// (desktop/clipboard), which keeps it in a state object, so that it
// outlives the app that copied it and the server's own restarts
// (clipboard-client.ts); in one program, its memory (MemoryClipboard).

export abstract class Clipboard {
  /** The clipboard's text ("" when empty or unreachable). */
  abstract read(): string;
  /** Replaces the clipboard's text; false when it could not. */
  abstract write(text: string): bool;
}

/** A clipboard held in the program's own memory. */
export class MemoryClipboard extends Clipboard {
  private text: string = "";
  read(): string { return this.text; }
  write(text: string): bool { this.text = text; return true; }
}
