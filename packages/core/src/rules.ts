/**
 * `@rantai/core/rules`: the domain rules that need neither a database nor Node, so the phone
 * checks input offline with the same code the server enforces. Everything reachable from here
 * must stay free of server-only imports; rules.test.ts walks the import graph to hold that.
 */
export * from "./coldchain/sensor-protocol";
export * from "./kernel/app-version";
export * from "./orgs/time-zones";
export * from "./stock/adjustment-rules";
export * from "./stock/batch-usability";
export * from "./stock/indicators";
export * from "./stock/quantities";
export * from "./stock/usage-line";
