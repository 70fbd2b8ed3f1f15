import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: ["@rantai/api", "@rantai/db", "@rantai/ui"],
  // Native and driver packages stay as Node requires instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "mysql2", "ioredis"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default config;
