// The error codes of the system calls. A call returns the negative code
// (`ERROR_BAD_HANDLE` is -1 in the bindings). Codes 1..255 belong to the
// kernel; a server's reply status may carry any negative value except
// DEAD_SERVER (the kernel refuses it: that code must mean only "the server
// is gone", since the client library re-sends on it). Protocols number
// their own errors from 256 (PROTOCOL_ERROR_BASE).

import type { ErrorCode } from "./schema";

export const PROTOCOL_ERROR_BASE = 256;

export const errors: ErrorCode[] = [
  { name: "BAD_HANDLE", code: 1, doc: "The handle is not an open handle of the caller." },
  { name: "WRONG_TYPE", code: 2, doc: "The handle names an object of another type than the call needs." },
  { name: "ACCESS_DENIED", code: 3, doc: "The handle lacks a right the call needs, or the caller's manifest lacks the capability." },
  { name: "BAD_ADDRESS", code: 4, doc: "A pointer and length reach outside the caller's linear memory (overflow included)." },
  { name: "INVALID_ARGUMENT", code: 5, doc: "An argument is out of its range: a length above the call's maximum, bad flags, a misaligned address, an empty name." },
  { name: "NO_MEMORY", code: 6, doc: "The kernel is out of frames, heap or handle slots." },
  { name: "NOT_FOUND", code: 7, doc: "No such name, receive id, component or state object." },
  { name: "ALREADY_EXISTS", code: 8, doc: "The name is registered already." },
  { name: "TIMED_OUT", code: 9, doc: "The call's timeout passed before it could complete." },
  { name: "DEAD_SERVER", code: 10, doc: "The server side is gone: its channel was closed or its component died, before or while the message was pending. Names survive a restart: re-resolve and re-send." },
  { name: "NO_SENDER", code: 11, doc: "The receive id names no message waiting for a reply of the caller (never received, replied already, or its sender died)." },
  { name: "QUEUE_FULL", code: 12, doc: "The channel's pulse queue is full." },
  { name: "NOT_MAPPED", code: 13, doc: "The range is not (wholly) a mapping of a memory object, or is one already." },
  { name: "NOT_SUPPORTED", code: 14, doc: "The call or this use of it is not implemented by this kernel." },
  { name: "TOO_LARGE", code: 15, doc: "A size is above what the object allows." },
  { name: "QUOTA_EXCEEDED", code: 16, doc: "The caller holds as much of the resource as its limits allow (threads, handles, queued pulses, memory-object pages; a spawned component's initial memory or table), limits its parent set at spawn." },
];
