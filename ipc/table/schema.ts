// The shape of the ipc/ table: what a system call, a record, an error, a
// right and a protocol are, as plain data. The table files (calls.ts,
// errors.ts, rights.ts, records.ts, protocols/) are values of these types;
// the generator (../generator) reads nothing else.
//
// Wire conventions every generated file follows (docs/ipc.md):
// - a system call is an import of module `delos` named `family_verb`
//   (`msg.send` -> `delos.msg_send`), and its binding is `familyVerb`;
// - every argument travels as one or two wasm values: handles, values and
//   fixed-size records as one, buffers, strings and iovec arrays as two
//   (a pointer into the caller's linear memory and a length or count);
// - the result is one value: i32 unless stated; a negative result is an
//   error code (errors.ts), anything else is the call's value.

/** A wasm value type as the table uses it; u32/u64 are i32/i64 read unsigned. */
export type ValueType = "i32" | "u32" | "i64" | "u64";

/** What a handle refers to (rights.ts lists the kinds and their rights). */
export type ObjectKind = "channel" | "connection" | "memory" | "timer" | "interrupt" | "any";

interface ArgumentBase {
  /** camelCase; the wire name of a two-value argument adds `Length`/`Count`. */
  name: string;
  doc: string;
}

/** A plain number. */
export interface ValueArgument extends ArgumentBase {
  kind: "value";
  type: ValueType;
}

/** A handle of the caller, looked up with the rights the call needs. */
export interface HandleArgument extends ArgumentBase {
  kind: "handle";
  object: ObjectKind;
  /** Rights the handle must carry (names from rights.ts). */
  rights: string[];
  /** 0 is accepted and means "none". */
  optional?: boolean;
  /** The kernel function receives the handle's entry (object and rights: it checks more rights itself) instead of the object. */
  passEntry?: boolean;
}

/** Bytes in the caller's memory: pointer and length, checked to lie inside it. */
export interface BufferArgument extends ArgumentBase {
  kind: "buffer";
  /** read: the kernel reads it; write: the kernel writes it. */
  access: "read" | "write";
  /** Largest length accepted (INVALID_ARGUMENT beyond); none: the memory bounds it. */
  maximum?: number;
}

/** A UTF-8 string in the caller's memory, copied into the kernel. */
export interface StringArgument extends ArgumentBase {
  kind: "string";
  /** Longest length in bytes accepted (INVALID_ARGUMENT beyond). */
  maximum: number;
}

/** An array of `iovec` records (records.ts): each names a buffer of the caller. */
export interface IovecArgument extends ArgumentBase {
  kind: "iovec";
  access: "read" | "write";
  /** Most entries accepted (INVALID_ARGUMENT beyond). */
  maximum: number;
}

/** A fixed-size record (records.ts) in the caller's memory; the kernel writes it. */
export interface RecordArgument extends ArgumentBase {
  kind: "record";
  record: string;
  access: "read" | "write";
  /** 0 is accepted and means "not wanted". */
  optional?: boolean;
}

export type Argument = ValueArgument | HandleArgument | BufferArgument | StringArgument | IovecArgument | RecordArgument;

export interface Result {
  type: ValueType | "none";
  doc: string;
  /** The call never returns (thread.exit). */
  noReturn?: boolean;
}

export interface SystemCall {
  /** `family.verb`: the import is `delos.family_verb`, the binding `familyVerb`. */
  name: string;
  doc: string;
  arguments: Argument[];
  result: Result;
  /** Errors the call itself can return beyond those its arguments imply (names from errors.ts). */
  errors: string[];
  /** The manifest capability the caller needs (docs/ipc.md, "Capabilities"), if any. */
  capability?: { kind: string; argument?: string; doc: string };
  /** May block the calling thread. */
  blocks?: boolean;
  /**
   * The kernel function that implements it (`msgSend`), called with the
   * checked arguments; none: not implemented yet (NOT_SUPPORTED). Where it
   * lives is the kernel's business: its map of system calls
   * (kernel/syscall/table.ts) exports it.
   */
  kernel?: string;
  /**
   * A fast path for the call's common case (`msgSendFast`, exported by the
   * kernel's map like `kernel`): an inlined function of the raw arguments
   * that the dispatch tries first. It does the whole call or, when a
   * precondition fails, changes nothing and returns FAST_PATH_DECLINED;
   * then the checks and `kernel` run.
   */
  fastPath?: string;
}

export interface ErrorCode {
  /** SCREAMING_CASE; the binding is `ERROR_NAME`, negative. */
  name: string;
  code: number;
  doc: string;
}

export interface Right {
  name: string;
  bit: number;
  doc: string;
}

export interface ObjectType {
  name: Exclude<ObjectKind, "any">;
  code: number;
  doc: string;
  /** Rights a handle has when the call that creates the object returns it. */
  initialRights: string[];
}

/** A field of a record or a protocol message; offsets follow from the order (natural alignment). */
export interface Field {
  name: string;
  type: ValueType | "bytes";
  doc: string;
  /** bytes only: fixed length; without it the field is the variable-length tail of a message. */
  length?: number;
}

export interface Record {
  name: string;
  doc: string;
  fields: Field[];
}

export interface Constant {
  name: string;
  value: number;
  doc: string;
  /** i32 unless stated. */
  type?: ValueType;
}

export interface Message {
  /** camelCase; the binding adds the protocol's name: `echo` of `test.echo` -> `testEchoEcho`. */
  name: string;
  /** Written as the first u32 of the request. */
  operation: number;
  doc: string;
  request: Field[];
  reply: Field[];
  /** Re-sending it after a server restart is safe (every message of a Delos protocol should be). */
  idempotent: boolean;
  /**
   * A handle the client transfers with the request (msg.sendv): the
   * generated server passes it to the handler, which then owns it. A
   * handle sent with a request that declares none is closed unused.
   */
  handle?: { name: string; doc: string };
}

export interface Protocol {
  /** Dotted, lower case: `test.echo`. */
  name: string;
  doc: string;
  /** The path a server of it registers by default. */
  path: string;
  messages: Message[];
  /** Errors (negative reply statuses) of the protocol beyond the system's. */
  errors?: ErrorCode[];
}
