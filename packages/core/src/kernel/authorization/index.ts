export * from "./actor-cache";
export * from "./authorize";
export * from "./roles";
export * from "./scope";
