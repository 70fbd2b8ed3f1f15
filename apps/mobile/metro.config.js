// Metro's transform cache is keyed on file contents, not on the EXPO_PUBLIC_*
// values babel-preset-expo inlines. Without folding them into cacheVersion, a
// rebuild with a different EXPO_PUBLIC_API_URL silently ships the old URL
// (https://github.com/expo/expo/issues/23812). Monorepo support needs nothing
// here: Expo detects the npm workspace root itself.
const { createHash } = require("node:crypto");
const { getDefaultConfig } = require("expo/metro-config");

const config = getDefaultConfig(__dirname);

const publicEnv = Object.keys(process.env)
  .filter((key) => key.startsWith("EXPO_PUBLIC_"))
  .sort()
  .map((key) => `${key}=${process.env[key]}`)
  .join("\n");
const envHash = createHash("sha256").update(publicEnv).digest("hex").slice(0, 16);
config.cacheVersion = `${config.cacheVersion ?? ""}:public-env-${envHash}`;

module.exports = config;
