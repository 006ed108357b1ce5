// Unchecked list storage for the compiler's hot paths. AssemblyScript's
// Array has no unchecked store (`unchecked(array[i] = v)` still calls the
// bounds-checked `__set`, which may grow the array) and every `push` calls
// a function to check the capacity; the tables the generator and the
// encoder touch for nearly every instruction (labels, fixups, the locals'
// homes) use these instead.

/** Stores `value` at `index` of `array`, which is already longer than `index`: no check, no growth. */
// @ts-ignore: decorator
@inline export function setAt<T>(array: Array<T>, index: i32, value: T): void {
  if (isManaged<T>()) ERROR("setAt: only for values that are not references");
  store<T>(array.dataStart + (<usize>index << alignof<T>()), value);
}

/** A growable list of i32 read and written without bounds checks (indices below `length` are the caller's to keep). */
export class IntList {
  private data: usize;
  private capacity: i32;
  length: i32 = 0;

  constructor(capacity: i32 = 64) {
    this.capacity = capacity;
    this.data = changetype<usize>(new ArrayBuffer(capacity << 2));
  }

  // @ts-ignore: decorator
  @inline get(index: i32): i32 { return load<i32>(this.data + (<usize>index << 2)); }

  // @ts-ignore: decorator
  @inline set(index: i32, value: i32): void { store<i32>(this.data + (<usize>index << 2), value); }

  // @ts-ignore: decorator
  @inline push(value: i32): void {
    const length = this.length;
    if (length == this.capacity) this.grow();
    store<i32>(this.data + (<usize>length << 2), value);
    this.length = length + 1;
  }

  private grow(): void {
    const capacity = this.capacity << 1;
    const bigger = changetype<usize>(new ArrayBuffer(capacity << 2));
    memory.copy(bigger, this.data, <usize>this.length << 2);
    this.data = bigger;
    this.capacity = capacity;
  }
}
