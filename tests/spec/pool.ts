// Runs asynchronous jobs with a bound on how many are in flight: the
// harnesses keep two native executables running at once on a 2-core machine.

/** Runs task(0) … task(count - 1), at most `limit` at a time; results in index order. */
export async function pool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}
