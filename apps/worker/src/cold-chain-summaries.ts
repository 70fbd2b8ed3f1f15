import { refreshFacilityColdChainSummaries } from "@rantai/core/coldchain";
import { errorFields, type Logger } from "@rantai/core/kernel/logger";
import type { Database } from "@rantai/db";

/**
 * Refreshes every facility's cold-chain summary row (fridges, offline, silent) at start and every
 * `intervalMs`, one round at a time: the overview and the facility table read those rows instead
 * of every sensor of the country. A failed round is logged and the next one tries again; rows
 * left unrefreshed lapse within minutes and are counted live meanwhile, so a stopped worker costs
 * speed, never correctness. Several workers may run it: each round writes the same figures.
 */
export function startColdChainSummaryRefresh(db: Database, logger: Logger, intervalMs: number) {
  let running: Promise<void> | null = null;
  const round = () => {
    if (running) return;
    running = (async () => {
      const started = performance.now();
      const { facilities } = await refreshFacilityColdChainSummaries(db);
      logger.debug({ facilities, ms: Math.round(performance.now() - started) }, "cold_chain_summaries_refreshed");
    })()
      .catch((error: unknown) => logger.error(errorFields(error), "cold_chain_summaries_refresh_failed"))
      .finally(() => {
        running = null;
      });
  };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
