export * from "./cold-chain-summaries";
export * from "./early-warning";
export * from "./equipment-admin";
export * from "./fridges";
export * from "./scope-figures";
export * from "./temperature";
export * from "./temperature-series";
