export * from "./org-units";
