import { z } from "zod";
import { MAX_LINE_DOSES, ZIdSchema } from "../kernel/schemas";

/**
 * One lot of an immunization session, as the server accepts it. Pure (zod only), so the phone
 * checks a session against the same bounds while staff type, before it is ever sent.
 */

/** Most vials one session may open from one lot; far above any real session, it bounds the input. */
export const MAX_VIALS_PER_USAGE_LINE = 100_000;

export const ZUsageLineSchema = z.strictObject({
  batchId: ZIdSchema,
  vialsOpened: z.number().int().positive().max(MAX_VIALS_PER_USAGE_LINE),
  dosesAdministered: z.number().int().nonnegative().max(MAX_LINE_DOSES),
});
export type TUsageLine = z.infer<typeof ZUsageLineSchema>;
