/** Types of build.mjs (plain JavaScript so scripts can run it without a TypeScript loader). */
export declare function workerNodeArgs(extra?: readonly string[]): string[];
export declare function buildWorker(): Promise<void>;
