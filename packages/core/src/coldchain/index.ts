export * from "./fridges";
export * from "./temperature";
