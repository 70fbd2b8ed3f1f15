// Metro's transform cache is keyed on file contents, not on the EXPO_PUBLIC_*
// values babel-preset-expo inlines. Without folding them into cacheVersion, a
// rebuild with a different EXPO_PUBLIC_API_URL silently ships the old URL
// (https://github.com/expo/expo/issues/23812). Monorepo support needs nothing
// here: Expo detects the npm workspace root itself.
const { createHash } = require("node:crypto");
const path = require("node:path");
const { getDefaultConfig } = require("expo/metro-config");

const config = getDefaultConfig(__dirname);

const publicEnv = Object.keys(process.env)
  .filter((key) => key.startsWith("EXPO_PUBLIC_"))
  .sort()
  .map((key) => `${key}=${process.env[key]}`)
  .join("\n");
const envHash = createHash("sha256").update(publicEnv).digest("hex").slice(0, 16);
config.cacheVersion = `${config.cacheVersion ?? ""}:public-env-${envHash}`;

// zod re-exports its messages in every language it has (about 270 KiB of the web bundle,
// more than a third of zod) through one barrel; the app words refusals from the shared catalog
// and never calls zod's locales, so its bundles get English alone, which zod applies by default.
const zodLocalesBarrel = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/;
const englishOnlyZodLocales = path.join(__dirname, "metro", "zod-locales-en.js");
const resolveDefault = config.resolver.resolveRequest;
config.resolver.resolveRequest = (context, moduleName, platform) => {
  const resolution = (resolveDefault ?? context.resolveRequest)(context, moduleName, platform);
  if (resolution.type === "sourceFile" && zodLocalesBarrel.test(resolution.filePath)) {
    return { type: "sourceFile", filePath: englishOnlyZodLocales };
  }
  return resolution;
};

module.exports = config;
