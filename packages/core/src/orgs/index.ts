export * from "./org-units";
export * from "./scope";
