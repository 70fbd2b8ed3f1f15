export * from "./apply-action";
export * from "./clients";
export * from "./pull";
export * from "./push";
