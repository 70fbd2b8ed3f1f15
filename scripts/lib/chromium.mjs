import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fail, say } from "./services.mjs";

export const chromiumPath = "/usr/bin/chromium";

/** Browser tests drive Debian's chromium; Playwright's own browser download cannot work offline. */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  if (process.getuid?.() !== 0)
    fail("Browser tests need Debian's chromium. Install it: sudo apt-get install -y chromium");
  say("installing chromium (apt-get) …");
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  const result = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0 || !existsSync(chromiumPath))
    fail("Installing chromium failed. Install it by hand: apt-get install -y chromium");
}
