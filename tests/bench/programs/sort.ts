// Memory: fills an array of n pseudo-random i32 and sorts it with an
// in-place quicksort (median of three, insertion sort for short runs), then
// checks the order. Returns a checksum of the sorted array.

let values = new StaticArray<i32>(0);

function insertionSort(low: i32, high: i32): void {
  for (let i = low + 1; i <= high; i++) {
    const value = unchecked(values[i]);
    let j = i - 1;
    while (j >= low && unchecked(values[j]) > value) { unchecked(values[j + 1] = unchecked(values[j])); j--; }
    unchecked(values[j + 1] = value);
  }
}

function swap(i: i32, j: i32): void {
  const t = unchecked(values[i]); unchecked(values[i] = unchecked(values[j])); unchecked(values[j] = t);
}

function quicksort(low: i32, high: i32): void {
  while (high - low > 16) {
    const middle = low + ((high - low) >> 1);
    if (unchecked(values[middle]) < unchecked(values[low])) swap(middle, low);
    if (unchecked(values[high]) < unchecked(values[low])) swap(high, low);
    if (unchecked(values[high]) < unchecked(values[middle])) swap(high, middle);
    const pivot = unchecked(values[middle]);
    let i = low, j = high;
    while (i <= j) {
      while (unchecked(values[i]) < pivot) i++;
      while (unchecked(values[j]) > pivot) j--;
      if (i <= j) { swap(i, j); i++; j--; }
    }
    // Recurse into the smaller side, loop on the larger: bounded stack depth.
    if (j - low < high - i) { quicksort(low, j); low = i; } else { quicksort(i, high); high = j; }
  }
  insertionSort(low, high);
}

export function run(n: i32): i32 {
  if (values.length != n) values = new StaticArray<i32>(n);
  let x: u32 = 0x9e3779b9;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; unchecked(values[i] = <i32>x); }
  quicksort(0, n - 1);
  let checksum: u32 = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && unchecked(values[i - 1]) > unchecked(values[i])) return -1;
    checksum = checksum * 31 + <u32>unchecked(values[i]);
  }
  return <i32>checksum;
}
