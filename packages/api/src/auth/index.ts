export * from "./actor";
export * from "./audit";
export * from "./credentials";
export * from "./login-throttle";
export * from "./mobile-sessions";
