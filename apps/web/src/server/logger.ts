import "server-only";
import { configureProcessLogger } from "@rantai/core/kernel/logger";
import { env } from "~/env";

/**
 * The console server's logger. Importing this module configures the process logger that the
 * domain and API code write to, so every line of this process says `"service":"web"` and
 * honours LOG_LEVEL.
 */
export const webLogger = configureProcessLogger({ service: "web", level: env.LOG_LEVEL });
