/** Types of build.mjs (plain JavaScript so scripts can run it without a TypeScript loader). */
export declare const INGEST_V8_FLAGS: readonly string[];
export declare function ingestNodeArgs(
  entry?: "main" | "broker-auth" | "simulator",
  extra?: readonly string[],
): string[];
export declare function buildIngest(): Promise<void>;
