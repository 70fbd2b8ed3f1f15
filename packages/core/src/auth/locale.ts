import { type Database, locales, users } from "@rantai/db";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { type ActorCacheHost, actorCacheOf } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { writeAudit } from "./audit";

export const ZSetLocaleSchema = z.strictObject({
  locale: z.enum(locales, { error: `must be one of ${locales.join(", ")} (Bahasa Indonesia or English)` }),
});
export type TSetLocale = z.infer<typeof ZSetLocaleSchema>;

/**
 * Stores the language the signed-in user reads Rantai in (console and phone alike). Their own
 * account only, so no scope is involved; sessions go on (it is a preference, not a security
 * change), and the cached actor is dropped after the commit so the next request, and the next
 * page, speak the new language.
 */
export async function setOwnLocale(
  request: DomainContext<Database> & ActorCacheHost,
  input: TSetLocale,
): Promise<{ locale: TSetLocale["locale"] }> {
  const { actor } = request;
  await request.db.transaction(async (tx) => {
    // Read from the row, not the (possibly cached) actor: only a real change is written and audited.
    const [before] = await tx
      .select({ locale: users.locale })
      .from(users)
      .where(and(eq(users.id, actor.userId), ne(users.locale, input.locale)))
      .for("update");
    if (!before) return;
    await tx.update(users).set({ locale: input.locale }).where(eq(users.id, actor.userId));
    await writeAudit(tx, request.meta, {
      action: "auth.locale.set",
      outcome: "success",
      actorUserId: actor.userId,
      entityType: "user",
      entityId: actor.userId,
      orgUnitId: actor.orgUnitId,
      before: { locale: before.locale },
      after: { locale: input.locale },
    });
  });
  await actorCacheOf(request).forget(actor.userId);
  return { locale: input.locale };
}
