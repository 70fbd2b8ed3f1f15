import { z } from "zod";

/*
 * The log levels and the LOG_LEVEL setting, apart from the logger itself: every process's env.ts
 * takes `logEnv`, and an env module stays free of the logger's dependencies (the console's
 * request proxy reads its env too).
 */

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/** `LOG_LEVEL` for each process's env schema: parsed once at start-up with the rest. */
export const logEnv = {
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}, e.g. info` }).default("info"),
};
