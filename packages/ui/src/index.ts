export * from "./format";
export * from "./i18n";
export * from "./locale-format";
export * from "./tokens";
