export * from "./facility-admin";
export * from "./facility-detail";
export * from "./facility-figures";
export * from "./facility-table";
export * from "./org-units";
export * from "./overview";
export * from "./province";
export * from "./time-zones";
