export * from "./pull";
export * from "./push";
