export * from "./coldchain/alarms/testing";
export * from "./coldchain/sensors/testing";
