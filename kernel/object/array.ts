// Reading an Array's elements straight from its storage. The kernel's hot
// paths (a handle lookup in every system call, the reply's search of its
// pending clients) read arrays of references by index; Array's own
// accessors are calls with a shadow-stack frame each.

/** Element `index` of `array` (the caller checked it is below the length). */
// @ts-ignore: decorator
@inline export function storedAt<T>(array: Array<T>, index: i32): T {
  return changetype<T>(load<usize>(array.dataStart + (<usize>index << alignof<usize>())));
}

/** Takes element `index` out of `array`, moving the last element into its place (order is not kept). */
// @ts-ignore: decorator
@inline export function removeUnordered<T>(array: Array<T>, index: i32): void {
  const last = array.length - 1;
  if (index != last) array[index] = unchecked(array[last]);
  array.pop();
}
