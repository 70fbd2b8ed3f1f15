export * from "./format";
export * from "./tokens";
