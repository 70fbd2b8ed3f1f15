import { expect, type Locator, type Page, type Request, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";

// A modest Android phone, in Bahasa Indonesia (the browser's language, playwright.config).
test.use({ viewport: { width: 360, height: 740 } });

// A multi-dose vaccine the seed stocks at Puskesmas Depok, so one vial is several doses.
const item = { code: "BOPV", name: "bOPV (Polio tetes)" };
const recordUsageCall = /\/api\/trpc\/[^?]*stock\.recordUsage/;

test("[PHONE]: facility staff record a session's usage and see stock go down", async ({ page }) => {
  const keys: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && recordUsageCall.test(request.url())) keys.push(idempotencyKeyOf(request));
  });

  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await expect(page.getByTestId("fridge-card").first()).toBeVisible();

  await page.getByTestId("nav-stock").click();
  const row = page.getByTestId("stock-row").filter({ hasText: item.name });
  await expect(row.getByTestId("stock-status")).not.toBeEmpty();
  const before = await countIn(row.getByTestId("stock-doses"));
  const dosesPerVial = await countIn(row.getByTestId("stock-doses-per-vial"));
  expect(dosesPerVial).toBeGreaterThan(1);

  // One session: 1 vial opened leaves stock whole, however many doses were given from it.
  await fillUsage(page, { vials: 1, doses: dosesPerVial - 2 });
  await page.getByTestId("usage-submit").click();
  await expect(page.getByTestId("usage-success")).toContainText("Tercatat: 1 vial");
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - dosesPerVial));
  expect(keys).toHaveLength(1);

  // A double tap on the same form is applied once.
  await fillUsage(page, { vials: 1, doses: 1 });
  await page.getByTestId("usage-submit").dblclick();
  await expect(page.getByTestId("usage-success")).toBeVisible();
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - 2 * dosesPerVial));
  // Read again from the server, in case a second request landed after the first answer.
  await page.reload();
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - 2 * dosesPerVial));
  expect(new Set(keys.slice(1)).size).toBe(1);

  // The server saves a session but its answer is lost: the retry resends the same key and the
  // server answers with the first result instead of recording the session again.
  await fillUsage(page, { vials: 1, doses: 0 });
  await page.route(
    recordUsageCall,
    async (route) => {
      await route.fetch();
      await route.abort("internetdisconnected");
    },
    { times: 1 },
  );
  const keysBeforeRetry = keys.length;
  await page.getByTestId("usage-submit").click();
  await expect(page.getByTestId("usage-error")).toContainText("tidak dapat dihubungi");
  await page.getByTestId("usage-submit").click();
  await expect(page.getByTestId("usage-success")).toBeVisible();
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - 3 * dosesPerVial));
  const retryKeys = keys.slice(keysBeforeRetry);
  expect(retryKeys).toHaveLength(2);
  expect(retryKeys[1]).toBe(retryKeys[0]);
  expect(retryKeys[0]).not.toBe(keys[0]);
});

async function fillUsage(page: Page, usage: { vials: number; doses: number }) {
  await page.getByTestId("record-usage-button").click();
  await page.getByTestId(`usage-item-${item.code}`).click();
  // The lot to use first (earliest expiry) is chosen unless staff pick another.
  await page.getByTestId("usage-vials-input").fill(String(usage.vials));
  await page.getByTestId("usage-doses-input").fill(String(usage.doses));
  await expect(page.getByTestId("usage-submit")).toBeEnabled();
}

async function countIn(locator: Locator): Promise<number> {
  const text = (await locator.textContent()) ?? "";
  const match = /\d[\d.]*/.exec(text);
  expect(match, `a number in "${text}"`).not.toBeNull();
  // Indonesian groups thousands with a dot: 1.234.
  return Number((match?.[0] ?? "").replaceAll(".", ""));
}

function format(doses: number): string {
  return doses.toLocaleString("id-ID");
}

/** tRPC batches post `{"0": {"json": input}}`; the key is all this test needs from it. */
function idempotencyKeyOf(request: Request): string {
  return /"idempotencyKey":"([^"]+)"/.exec(request.postData() ?? "")?.[1] ?? "";
}
