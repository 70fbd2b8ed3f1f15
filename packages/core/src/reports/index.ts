export * from "./catalog";
export * from "./exports";
export * from "./queue";
export * from "./view";
