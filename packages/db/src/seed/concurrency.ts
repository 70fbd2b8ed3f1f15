/**
 * Runs `task` over `inputs` with at most `limit` in flight, keeping input order in the result.
 * Argon2 hashing is CPU- and memory-heavy (19 MiB each): a small limit keeps a 2-core machine
 * responsive while still overlapping the hashing with database round trips.
 */
export async function mapWithConcurrency<T, R>(
  inputs: readonly T[],
  limit: number,
  task: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  // One iterator shared by all workers: each takes the next input when it is free.
  const queue = inputs.entries();
  async function worker(): Promise<void> {
    for (const [index, input] of queue) results[index] = await task(input, index);
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

/** Splits `rows` into consecutive chunks of at most `size`, for multi-row INSERTs. */
export function chunk<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
