import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { apiContentSecurityPolicy, baseSecurityHeaders, strictTransportSecurity } from "./src/server/security-headers";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: ["@rantai/api", "@rantai/core", "@rantai/db", "@rantai/ui"],
  // Native and driver packages stay as Node requires instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "mysql2", "ioredis"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
  // Pages get their Content-Security-Policy (with a nonce) and HSTS from src/proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: [...baseSecurityHeaders] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
      {
        source: "/api/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: strictTransportSecurity }],
      },
    ];
  },
};

// Each request's language and messages: src/i18n/request.ts. The catalog's ICU messages are
// compiled at build time, so browsers get a small formatter instead of the ICU parser.
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./src/i18n/request.ts",
  experimental: {
    messages: { path: "../../packages/ui/messages", format: "json", locales: "infer", precompile: true },
  },
});

export default withNextIntl(config);
