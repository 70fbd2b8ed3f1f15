export * from "./broker-password";
export * from "./credentials";
export * from "./permissions";
export * from "./sensors";
