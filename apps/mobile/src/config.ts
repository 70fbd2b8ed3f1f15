// The single place that reads process.env. Expo inlines EXPO_PUBLIC_* at build
// time, so the variable must be referenced literally (no dynamic lookup).
const DEFAULT_API_URL = "http://localhost:3000";

function parseApiUrl(raw: string | undefined): string {
  const value = raw?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`EXPO_PUBLIC_API_URL must be an absolute http(s) URL such as ${DEFAULT_API_URL}; got "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`EXPO_PUBLIC_API_URL must use http or https; got "${value}".`);
  }
  // Trailing slashes would produce "//api/trpc", which some routers reject.
  return value.replace(/\/+$/, "");
}

export const config = {
  apiUrl: parseApiUrl(process.env.EXPO_PUBLIC_API_URL),
} as const;

export const trpcUrl = `${config.apiUrl}/api/trpc`;
