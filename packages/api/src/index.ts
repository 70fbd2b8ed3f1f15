import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { AppError, type AppErrorCode, type ErrorReason } from "@rantai/core/kernel";
export { type ApiContext, type ApiServices, createApiContext } from "./context";
export { openReportExportDownload } from "./reports/download";
export { type AppRouter, appRouter } from "./root";
export { createCallerFactory } from "./trpc";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
