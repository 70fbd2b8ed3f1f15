import { z } from "zod";

/** Set by scripts/lib/e2e.mjs, which starts the console, the phone app and ingest first. */
export const e2eEnv = z
  .object({
    E2E_WEB_URL: z.url({ error: "run the browser tests through `npm test` or `npm run test:e2e`" }),
    E2E_MOBILE_URL: z.url(),
    /** The console server's process (group) id, to measure its memory from /proc. */
    E2E_WEB_PID: z.coerce.number().int().positive(),
    MQTT_URL: z.string().regex(/^mqtts?:\/\//),
  })
  .parse(process.env);

export const demoPassword = "rantai-demo-2026";
export const demoAccounts = {
  districtOfficerSleman: "dinkes.sleman@demo.rantai.id",
  /** Switches language in its test; no other test signs in as Bantul, so none sees its choice. */
  districtOfficerBantul: "dinkes.bantul@demo.rantai.id",
  facilityStaffSleman: "pkm.depok@demo.rantai.id",
  /** Switches the phone app to English in its test; no other test signs in as Sewon, so none sees its choice. */
  facilityStaffBantul: "pkm.sewon@demo.rantai.id",
} as const;
