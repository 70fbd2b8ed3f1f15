export * from "./auth";
export * from "./coldchain";
export * from "./distribution";
export * from "./integration";
export * from "./notifications";
export * from "./orgs";
export * from "./reports";
export * from "./stock";
