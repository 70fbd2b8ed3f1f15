export * from "./fridges";
export * from "./scope-figures";
export * from "./temperature";
