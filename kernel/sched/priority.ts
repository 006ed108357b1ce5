// Thread priorities (the values of ipc/'s PRIORITY_*): higher runs first.

export const PRIORITY_COUNT: i32 = 32;
export const PRIORITY_LOWEST: i32 = 0;
export const PRIORITY_DEFAULT: i32 = 10;
export const PRIORITY_HIGHEST: i32 = 31;
/** No priority lent (`Thread.lent`, `Thread.lockBoost`). */
export const NO_PRIORITY: i32 = -1;

/** True for a valid priority. */
export function isPriority(priority: i32): bool {
  return priority >= PRIORITY_LOWEST && priority <= PRIORITY_HIGHEST;
}
