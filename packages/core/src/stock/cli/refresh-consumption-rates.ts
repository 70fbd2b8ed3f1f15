/**
 * Recomputes every store's average monthly consumption per item (the stock summary's rule) into
 * `stock_consumption_rates`, and every facility's `facility_stock_summaries` row, which the
 * overview and the facility table read. Run it daily (just after midnight WIB, when expiry moves
 * on) and after loading data:
 *   npm run stock:refresh-rates
 * Exits 0 when done, 2 when it could not run.
 */
import { createDatabase } from "@rantai/db/client";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { refreshConsumptionRatesUnder } from "../consumption-rates";
import { refreshFacilityStockSummariesUnder } from "../facility-stock-summaries";

const env = parseEnv(databaseEnv, process.env);
const handle = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
try {
  const started = Date.now();
  // Every path starts with "/", so its pattern covers every store of the country.
  const result = await refreshConsumptionRatesUnder(handle.db, "/");
  // Then every facility's stock summary: those without rates, and rows a new day has outdated.
  const summaries = await refreshFacilityStockSummariesUnder(handle.db, "/");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Refreshed ${result.rates} consumption rates of ${result.stores} stores and the stock summaries of ${summaries.facilities} facilities in ${seconds} s.`,
  );
} catch (error) {
  console.error(
    `The consumption rates could not be refreshed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 2;
} finally {
  await handle.close();
}
