// Buffers exchanged with whoever drives the compiler: the Node host (through
// the exports in index.ts) or the WASI command-line driver (main.ts).
// One compilation per instance: the compiler uses AssemblyScript's stub
// runtime (a bump allocator), so a host starts a fresh instance per job.

/** Inputs, in the order they were added. */
export const inputs: Uint8Array[] = [];
let output: Uint8Array = new Uint8Array(0);
let message: string = "";
let messageBytes: ArrayBuffer = new ArrayBuffer(0);

/**
 * A byte array whose contents are left as the allocator found them: for
 * buffers every byte of which is written before it is read (inputs, outputs,
 * code). Skipping the zero fill of `new Uint8Array` matters for large ones.
 */
export function uninitializedBytes(length: i32): Uint8Array {
  return Uint8Array.wrap(changetype<ArrayBuffer>(__new(<usize>length, idof<ArrayBuffer>())));
}

export function addInput(length: i32): Uint8Array {
  const buffer = uninitializedBytes(length);
  inputs.push(buffer);
  return buffer;
}

/** Adds bytes the caller has already read as the next input (not copied). */
export function addInputBytes(bytes: Uint8Array): void {
  inputs.push(bytes);
}

export function setOutput(bytes: Uint8Array): void { output = bytes; }
export function getOutput(): Uint8Array { return output; }

export function setMessage(text: string): void {
  message = text;
  messageBytes = String.UTF8.encode(text);
}
export function getMessage(): string { return message; }
export function getMessageBytes(): ArrayBuffer { return messageBytes; }
