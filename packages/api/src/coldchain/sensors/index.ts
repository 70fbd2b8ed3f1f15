export * from "./broker-password";
export * from "./credentials";
export * from "./sensors";
