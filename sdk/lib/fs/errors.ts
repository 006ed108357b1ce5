// The statuses of file-system operations: 0 or a positive count on success,
// one of these on failure. Each has a fixed meaning a client can act on;
// Volume.message says what and where.

export const OK: i32 = 0;
export const NOT_FOUND: i32 = -1;
export const EXISTS: i32 = -2;
export const NOT_DIRECTORY: i32 = -3;
export const IS_DIRECTORY: i32 = -4;
export const NOT_EMPTY: i32 = -5;
/** A file handle whose volume, inode or generation is not that of a live file. */
export const STALE: i32 = -6;
/** A block failed its checksum or structural checks. */
export const CORRUPT: i32 = -7;
export const NO_SPACE: i32 = -8;
export const BAD_NAME: i32 = -9;
/** A request that cannot be carried out as asked (a directory moved into itself, an offset past 2^63). */
export const INVALID: i32 = -10;
export const IO: i32 = -11;
/** A non-idempotent request older than the last one recorded for its client. */
export const OLD_REQUEST: i32 = -12;
export const NOT_VOLUME: i32 = -13;
/** A change asked of a read-only volume (the verified system volume). */
export const READ_ONLY: i32 = -14;

/** A short name of a status, for messages and tools. */
export function statusName(status: i32): string {
  switch (status) {
    case OK: return "ok";
    case NOT_FOUND: return "no such file or directory";
    case EXISTS: return "already exists";
    case NOT_DIRECTORY: return "not a directory";
    case IS_DIRECTORY: return "is a directory";
    case NOT_EMPTY: return "directory not empty";
    case STALE: return "stale file handle";
    case CORRUPT: return "corrupt block";
    case NO_SPACE: return "no space left on the volume";
    case BAD_NAME: return "bad name";
    case INVALID: return "invalid request";
    case IO: return "I/O error";
    case OLD_REQUEST: return "request older than the last recorded";
    case NOT_VOLUME: return "not a Delos volume";
    case READ_ONLY: return "read-only volume";
    default: return status >= 0 ? "ok" : "unknown status " + status.toString();
  }
}
