export * from "./config";
export * from "./factory";
export * from "./image-types";
export * from "./local-storage";
export * from "./photos";
export * from "./s3-storage";
export * from "./storage";
