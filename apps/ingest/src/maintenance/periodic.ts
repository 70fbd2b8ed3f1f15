/** A background round that repeats: one round at a time, stoppable, runnable on demand. */
export interface PeriodicTask {
  /** Runs one round now, or waits for the round already running, and resolves once it is done. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a running round. */
  stop(): Promise<void>;
}

/**
 * Runs `round` every `intervalMs` (and at once when `runAtStart`), never two rounds at a time.
 * `round` handles and logs its own failures: a failed round must not stop the next one, and
 * nothing here may take the process down.
 */
export function startPeriodic(
  round: () => Promise<void>,
  options: { intervalMs: number; runAtStart: boolean },
): PeriodicTask {
  let running: Promise<void> | null = null;
  let stopped = false;
  const runNow = (): Promise<void> => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped && !running) void runNow();
  }, options.intervalMs);
  timer.unref();
  if (options.runAtStart) void runNow();
  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
