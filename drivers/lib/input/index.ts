// The input client library for drivers (README.md): numbered events kept
// until the compositor applied them, sent in batches, re-sent to its next
// instance after a restart of either side.

export { InputQueue, INPUT_ENTRY_SIZE } from "./queue";
export { InputSender } from "./sender";
export { InputClient, CURSOR_BYTES } from "./client";
