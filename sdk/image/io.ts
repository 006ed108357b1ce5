// Buffers exchanged with whoever drives the image writer: the Node host today
// (through the exports in index.ts), the installer on Delos later. One job
// per instance: AssemblyScript's stub runtime never frees, so a host starts a
// fresh instance for each image.

/** Inputs, in the order they were added. */
export const inputs: Uint8Array[] = [];
let output: Uint8Array = new Uint8Array(0);
let messageBytes: ArrayBuffer = new ArrayBuffer(0);

export function addInput(length: i32): Uint8Array {
  const buffer = new Uint8Array(length);
  inputs.push(buffer);
  return buffer;
}

export function setOutput(bytes: Uint8Array): void { output = bytes; }
export function getOutput(): Uint8Array { return output; }

/** Records why a job failed; the job then returns a non-zero status. */
export function setMessage(text: string): void { messageBytes = String.UTF8.encode(text); }
export function getMessageBytes(): ArrayBuffer { return messageBytes; }
