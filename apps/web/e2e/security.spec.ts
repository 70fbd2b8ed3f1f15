import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;
const mutationUrl = `${web}/api/trpc/auth.signInMobile?batch=1`;
const mebibyte = 1024 * 1024;

/** Resident memory of the console server: every process in its process group, in bytes. */
function serverRssBytes(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name's closing parenthesis: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const group = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (group !== e2eEnv.E2E_WEB_PID) continue;
      const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      total += Number(rss ?? 0) * 1024;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/**
 * POSTs `totalBytes` with chunked transfer encoding (no Content-Length), writing 64 KiB at a
 * time and stopping as soon as the server answers. Resolves with the status and how much was
 * written before the answer came.
 */
async function postChunked(
  url: string,
  totalBytes: number,
): Promise<{ status: number; sentBytes: number; body: string }> {
  // The server answers 413 and closes while we are still writing; when the close reaches our
  // socket before its answer has been read (EPIPE/ECONNRESET, a race of the two sockets), the
  // answer is lost on our side only, so the request is sent once more.
  try {
    return await postChunkedOnce(url, totalBytes);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    if (code !== "EPIPE" && code !== "ECONNRESET") throw error;
    return postChunkedOnce(url, totalBytes);
  }
}

function postChunkedOnce(
  url: string,
  totalBytes: number,
): Promise<{ status: number; sentBytes: number; body: string }> {
  const chunk = Buffer.alloc(64 * 1024, "[1,");
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const request = http.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (data: string) => {
        body += data;
      });
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, sentBytes, body });
      });
    });
    // The server may close the connection while we are still writing; the answer is what counts.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.byteLength;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!answered) request.end();
    };
    write();
  });
}

function nested(depth: number, inner = "1"): string {
  return `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
}

test("[SECURITY]: pages and API responses carry a nonce CSP, frame and sniffing protection and a referrer policy", async ({
  request,
}) => {
  const responses = {
    login: await request.get(`${web}/login`, { maxRedirects: 0 }),
    home: await request.get(`${web}/`, { maxRedirects: 0 }),
    missingPage: await request.get(`${web}/no-such-page`, { maxRedirects: 0 }),
    api: await request.get(`${web}/api/trpc/orgs.tree`, { maxRedirects: 0 }),
  };
  const nonces = new Set<string>();
  for (const [name, response] of Object.entries(responses)) {
    const headers = response.headers();
    const policy = headers["content-security-policy"] ?? "";
    expect(policy, name).toContain("frame-ancestors 'none'");
    expect(policy, name).not.toContain("unsafe-inline' 'strict");
    expect(/script-src[^;]*'unsafe-inline'/.test(policy), name).toBe(false);
    expect(headers["x-frame-options"], name).toBe("DENY");
    expect(headers["x-content-type-options"], name).toBe("nosniff");
    expect(headers["referrer-policy"], name).toBe("strict-origin-when-cross-origin");
    // Plain http here: HSTS would be meaningless, and wrong for a development machine.
    expect(headers["strict-transport-security"], name).toBeUndefined();
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    if (name !== "api") {
      expect(nonce, name).toBeTruthy();
      nonces.add(nonce ?? "");
    }
  }
  expect(responses.api.headers()["content-security-policy"]).toContain("default-src 'none'");
  // A fresh nonce per response.
  expect(nonces.size).toBe(3);

  const behindHttpsProxy = await request.get(`${web}/login`, { headers: { "x-forwarded-proto": "https" } });
  expect(behindHttpsProxy.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
});

test("[SECURITY]: another site cannot frame the console", async ({ page }) => {
  // Another site served from this machine (127.0.0.1 is not the console's localhost), so the
  // browser's private-network rules do not block the frame before the console's headers can.
  const framingSite = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<iframe name="console" src="${web}/login"></iframe>`);
  });
  await new Promise<void>((resolve) => framingSite.listen(0, "127.0.0.1", resolve));
  try {
    const address = framingSite.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const framed = page.waitForResponse(`${web}/login`);
    await page.goto(`http://127.0.0.1:${port}/`);
    expect((await framed).status()).toBe(200);
    const frame = page.frame({ name: "console" });
    // The console answered, but the browser refuses to show it: no sign-in form in the frame.
    await expect.poll(async () => frame?.url()).toMatch(/^chrome-error:/);
    expect(await frame?.locator("input").count()).toBe(0);
  } finally {
    framingSite.close();
  }
});

test("[SECURITY]: the console works under its Content-Security-Policy without a single violation", async ({ page }) => {
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener("securitypolicyviolation", (event) => {
      violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

  // Sign-in (a hydrated client form), the board (tRPC queries) and the stock page.
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.goto(`${web}/cold-chain`);
  await expect(page.getByTestId("facility-count")).toHaveText("17");
  expect(await violations()).toEqual([]);
  await page.goto(`${web}/stock`);
  await expect(page.getByTestId("signed-in-as")).not.toBeEmpty();
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
  expect(consoleErrors.filter((text) => /content security policy|refused to/i.test(text))).toEqual([]);

  // The policy is enforced: an inline script slipped into the page's HTML (as a stored XSS
  // would be) has no nonce, does not run, and is reported.
  await page.route(`${web}/login`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</body>", "<script>window.injectedScriptRan = true;</script></body>");
    await route.fulfill({ response, body: html });
  });
  await page.context().clearCookies();
  await page.goto(`${web}/login`);
  await expect(page.getByRole("button", { name: "Masuk" })).toBeVisible();
  expect(await page.evaluate(() => "injectedScriptRan" in window)).toBe(false);
  await expect.poll(violations).toContainEqual(expect.stringMatching(/^script-src/));
});

test("[SECURITY]: bodies over 1 MiB are refused while they stream, with or without Content-Length, memory flat", async () => {
  // A body just under the limit still reaches tRPC (which rejects the input itself).
  const underLimit = await postChunked(mutationUrl, mebibyte - 64 * 1024);
  expect(underLimit.status).toBe(400);
  expect(underLimit.body).not.toContain("too large");

  const rssBefore = serverRssBytes();
  expect(rssBefore).toBeGreaterThan(0);
  for (const mebibytes of [2, 50, 200]) {
    const result = await postChunked(mutationUrl, mebibytes * mebibyte);
    expect(result.status, `${mebibytes} MiB`).toBe(413);
    expect(result.body).toContain("Request body too large");
    console.log(
      `${mebibytes} MiB chunked: ${result.status} after ${(result.sentBytes / mebibyte).toFixed(1)} MiB sent`,
    );
    // Answered long before the sender was done (a small body fits in the sockets' buffers).
    if (mebibytes > 2) expect(result.sentBytes, `${mebibytes} MiB`).toBeLessThan(32 * mebibyte);
  }
  const growth = serverRssBytes() - rssBefore;
  console.log(
    `console server RSS ${Math.round(rssBefore / mebibyte)} MiB before, growth ${(growth / mebibyte).toFixed(1)} MiB`,
  );
  expect(growth).toBeLessThan(50 * mebibyte);
});

test("[SECURITY]: deeply nested JSON and superjson meta are refused with 400 before they are parsed", async ({
  request,
}) => {
  const deepMeta = `{"0":{"json":{"email":"a@b.id"},"meta":{"values":${nested(20_000, '["Date"]')}}}}`;
  const body = await request.post(mutationUrl, { data: deepMeta, headers: { "content-type": "application/json" } });
  expect(body.status()).toBe(400);
  expect(await body.text()).toContain("nests too deeply");

  const deepQuery = encodeURIComponent(JSON.stringify({ 0: { json: null } }).replace("null", nested(1000)));
  const query = await request.get(`${web}/api/trpc/orgs.tree?batch=1&input=${deepQuery}`);
  expect(query.status()).toBe(400);
  expect(await query.text()).toContain("nests too deeply");

  // The server is still answering normally afterwards.
  expect((await request.get(`${web}/login`)).status()).toBe(200);
});

test("[SECURITY]: error responses to anonymous requests hold no stack trace, file path or SQL", async ({ request }) => {
  const responses = [
    await request.get(`${web}/api/trpc/orgs.tree`),
    await request.get(`${web}/api/trpc/no.such.procedure`),
    await request.post(mutationUrl, { data: "{not json", headers: { "content-type": "application/json" } }),
    await request.post(mutationUrl, { data: { 0: { json: { email: 42 } } } }),
    await request.get(`${web}/no-such-page`),
    await request.get(`${web}/api/trpc/auth.signInMobile?input=%7B`),
  ];
  const repoRoot = process.cwd();
  for (const response of responses) {
    const text = await response.text();
    const where = `${response.status()} ${response.url()}`;
    expect(response.status(), where).toBeGreaterThanOrEqual(400);
    expect(text, where).not.toMatch(/\bat [\w.<>$]+ \(|\bat (file:|\/)/);
    expect(text, where).not.toContain("/node_modules/");
    expect(text, where).not.toContain(repoRoot);
    expect(text, where).not.toMatch(/\.(ts|tsx|js|mjs):\d+/);
    expect(text, where).not.toMatch(/\b(select|insert into|update) .* (from|set|values)\b/i);
    expect(text, where).not.toContain('"stack"');
  }
});

test("[SECURITY]: the sign-in and not-found pages render under the policy at tablet and phone widths", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|refused to/i.test(message.text())) violations.push(message.text());
  });
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${web}/login`);
    await expect(page.getByRole("button", { name: "Masuk" })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/login-${width}.png`, fullPage: true });
    const missing = await page.goto(`${web}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Halaman tidak ditemukan" })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/not-found-${width}.png`, fullPage: true });
  }
  expect(violations).toEqual([]);
});
