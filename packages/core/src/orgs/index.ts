export * from "./org-units";
export * from "./province";
export * from "./time-zones";
