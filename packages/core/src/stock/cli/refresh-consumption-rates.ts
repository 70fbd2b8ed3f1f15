/**
 * Recomputes every store's average monthly consumption per item (the stock summary's rule) into
 * `stock_consumption_rates`, which the overview and the facility table read. Run it daily and
 * after loading data:
 *   npm run stock:refresh-rates
 * Exits 0 when done, 2 when it could not run.
 */
import { createDatabase } from "@rantai/db/client";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { refreshConsumptionRatesUnder } from "../consumption-rates";

const env = parseEnv(databaseEnv, process.env);
const handle = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
try {
  const started = Date.now();
  // Every path starts with "/", so its pattern covers every store of the country.
  const result = await refreshConsumptionRatesUnder(handle.db, "/");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Refreshed ${result.rates} consumption rates of ${result.stores} stores in ${seconds} s.`);
} catch (error) {
  console.error(
    `The consumption rates could not be refreshed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 2;
} finally {
  await handle.close();
}
