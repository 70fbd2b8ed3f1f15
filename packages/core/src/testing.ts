export * from "./coldchain/alarms/testing";
export * from "./coldchain/sensors/testing";
export { connectUnreachableRedis } from "./kernel/authorization/testing";
export * from "./orgs/testing";
export * from "./reports/testing";
