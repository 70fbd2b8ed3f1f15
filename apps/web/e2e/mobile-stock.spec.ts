import { expect, type Locator, type Page, type Request, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";

// A modest Android phone, in Bahasa Indonesia (the browser's language, playwright.config).
test.use({ viewport: { width: 360, height: 740 } });

// A multi-dose vaccine the seed stocks at Puskesmas Depok, so one vial is several doses.
const item = { code: "BOPV", name: "bOPV (Polio tetes)" };
const pushCall = /\/api\/trpc\/[^?]*sync\.push/;

test("[PHONE]: facility staff record a session's usage and see stock go down; each session reaches the server once", async ({
  page,
}) => {
  const pushedKeys: string[][] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && pushCall.test(request.url())) pushedKeys.push(idempotencyKeysOf(request));
  });

  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await expect(page.getByTestId("home-fridge").first()).toBeVisible();

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
  await expect(page.getByTestId("usage-success")).toContainText("Sudah terkirim ke server");
  await expect(page.getByTestId("sync-waiting")).toHaveText("Tidak ada yang menunggu dikirim");

  // A double tap on the same form saves one session.
  await fillUsage(page, { vials: 1, doses: 1 });
  await page.getByTestId("usage-submit").dblclick();
  await expect(page.getByTestId("usage-success")).toContainText("Sudah terkirim ke server");
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - 2 * dosesPerVial));
  // Read again from the server, in case a second action landed after the first answer.
  await page.reload();
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - 2 * dosesPerVial));
  expect(new Set(pushedKeys.flat()).size).toBe(2);

  // The server applies a push but its answer is lost: the queue keeps the session and sends the
  // same key again, and the server answers with the first result instead of recording it twice.
  await page.route(
    pushCall,
    async (route) => {
      await route.fetch();
      await route.abort("internetdisconnected");
    },
    { times: 1 },
  );
  const pushesBeforeLoss = pushedKeys.length;
  await fillUsage(page, { vials: 1, doses: 0 });
  await page.getByTestId("usage-submit").click();
  await expect(page.getByTestId("usage-success")).toContainText("Tercatat: 1 vial");
  // The failure shows until the retry (a few seconds of backoff) goes through.
  await expect(page.getByTestId("sync-error")).toContainText("Server tidak dapat dihubungi");
  await expect(page.getByTestId("sync-waiting")).toHaveText("Tidak ada yang menunggu dikirim", { timeout: 30_000 });
  await page.reload();
  await expect(row.getByTestId("stock-doses")).toHaveText(format(before - 3 * dosesPerVial));
  const retried = pushedKeys.slice(pushesBeforeLoss).map((keys) => keys.at(-1));
  expect(retried.length).toBeGreaterThanOrEqual(2);
  expect(new Set(retried).size).toBe(1);
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

/** tRPC batches post `{"0": {"json": input}}`; the actions' keys are all this test needs from a push. */
function idempotencyKeysOf(request: Request): string[] {
  return [...(request.postData() ?? "").matchAll(/"idempotencyKey":"([^"]+)"/g)].map((match) => match[1] ?? "");
}
