import { expect, type Page, test } from "@playwright/test";
import { callApi, phoneToken } from "./api";
import { demoAccounts, demoPassword, e2eEnv } from "./env";
import { expectNoSidewaysScroll, expectTouchTargets } from "./phone";
import { signInToConsole } from "./sign-in";

// A modest Android phone, in Bahasa Indonesia (the browser's language, playwright.config).
test.use({ viewport: { width: 360, height: 740 } });

const screens = "test-results/screens";
/** The vaccine requested; the discard and the count touch the lots of another one. */
const requestedItem = "BOPV";
const apiCall = /\/api\/trpc\//;

type Lot = { batchId: number; itemCode: string; lotNumber: string; dosesPerVial: number; vials: number };
type Entry = { id: number; movementType: string; quantity: number; balanceAfter: number };
type RequestDetail = {
  status: string;
  lines: { itemId: number; dosesPerVial: number; suggestedDoses: number; requestedDoses: number }[];
};

test("[PHONE]: the stock book offline: request stock with the suggestion edited, discard and count with no signal, reopen, and each is applied once", async ({
  page,
  context,
  browser,
  request,
}) => {
  // Two apps, an offline spell and a reload: longer than one screen's flow.
  test.setTimeout(240_000);
  const token = await phoneToken(request, demoAccounts.facilityStaffSleman);
  const me = await callApi<{ orgUnitId: number }>(request, "auth.me", undefined, { token, kind: "query" });
  const api = <T>(path: string, input: unknown) => callApi<T>(request, path, input, { token, kind: "query" });
  const lotsBefore = (
    await api<{ items: Lot[] }>("stock.listBalances", { orgUnitId: me.orgUnitId, limit: 100 })
  ).items.filter((lot) => lot.vials > 0);
  // A lot of another vaccine with two vials or more, so one can go and one stays.
  const target = lotsBefore.find((lot) => lot.itemCode !== requestedItem && lot.vials >= 2);
  if (!target) throw new Error("the seed stocks Puskesmas Depok with more than one vaccine");
  const perVial = target.dosesPerVial;
  // Each lot's newest entry now: what the phone sends must come after it, once.
  const ledgerOf = (batchId: number, limit: number) =>
    api<{ items: Entry[] }>("stock.listLedger", { orgUnitId: me.orgUnitId, batchId, limit }).then(
      (answer) => answer.items,
    );
  const newestBefore = new Map<number, number>();
  for (const lot of lotsBefore) newestBefore.set(lot.batchId, (await ledgerOf(lot.batchId, 1))[0]?.id ?? 0);
  const entriesSince = async (batchId: number) =>
    (await ledgerOf(batchId, 100)).filter((entry) => entry.id > (newestBefore.get(batchId) ?? 0));

  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await page.getByTestId("nav-stock").click();
  await expect(page.getByTestId("stockbook-request")).toBeVisible();
  await expectTouchTargets(page);
  await page.screenshot({ path: `${screens}/phone-stockbook-links-id.png`, fullPage: true });

  // Online: the suggestion is the server's own rule over the pulled figures; staff ask for two vials more.
  await page.getByTestId("stockbook-request").click();
  const suggestedVials = numberIn((await page.getByTestId(`request-suggested-${requestedItem}`).textContent()) ?? "");
  const vialsInput = page.getByTestId(`request-vials-${requestedItem}`);
  await expect(vialsInput).toHaveValue(String(suggestedVials));
  await vialsInput.fill(String(suggestedVials + 2));
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-request-id.png`, fullPage: true });
  const pushAnswer = page.waitForResponse((response) => response.url().includes("sync.push"));
  await page.getByTestId("request-submit").click();
  await expect(page.getByTestId("requests-sent")).toBeVisible();
  const requestId = Number(/"requestId":(\d+)/.exec(await (await pushAnswer).text())?.[1]);
  expect(requestId).toBeGreaterThan(0);
  // Sent, then pulled back with the status the server gave it.
  await expect(page.getByTestId("request-card").filter({ hasText: `#${requestId}` })).toContainText("Diajukan");
  await page.screenshot({ path: `${screens}/phone-requests-id.png`, fullPage: true });
  // The server computed its own suggestion when it created the request: the phone showed the same.
  const created = await api<RequestDetail>("distribution.getRequest", { requestId });
  const catalogue = await api<{ items: { id: number; code: string }[] }>("stock.listItems", { limit: 100 });
  const itemId = catalogue.items.find((item) => item.code === requestedItem)?.id;
  const line = created.lines.find((candidate) => candidate.itemId === itemId);
  expect(created.status).toBe("submitted");
  expect(line?.requestedDoses).toBe((suggestedVials + 2) * (line?.dosesPerVial ?? 0));
  expect(line?.suggestedDoses).toBe(suggestedVials * (line?.dosesPerVial ?? 0));

  // The district sees it in its console.
  const officer = await browser.newPage({
    locale: "id-ID",
    timezoneId: "Asia/Jakarta",
    viewport: { width: 1280, height: 900 },
  });
  await signInToConsole(officer, demoAccounts.districtOfficerSleman);
  await officer.getByRole("link", { name: "Distribusi", exact: true }).click();
  const row = officer.getByTestId("request-row").filter({ hasText: `#${requestId}` });
  await expect(row).toContainText("Puskesmas Depok");
  await expect(row).toContainText("Menunggu");

  // No signal: a vial of the lot goes (VVM at the discard point), then the shelf is counted with one vial more of it.
  const pushes: string[] = [];
  page.on("requestfinished", (sent) => {
    if (sent.url().includes("sync.push")) pushes.push(sent.url());
  });
  await context.setOffline(true);
  await page.getByTestId("requests-back").click();
  await page.getByTestId("stockbook-discard").click();
  await page.getByTestId(`discard-lot-${target.lotNumber}`).click();
  await page.getByTestId("discard-reason-vvm_discard_point").click();
  await page.getByTestId("discard-vials-input").fill("1");
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.getByTestId("discard-submit").click();
  await expect(page.getByTestId("discard-done")).toContainText(`batch ${target.lotNumber}`);
  await expect(page.getByTestId(`discard-lot-${target.lotNumber}`)).toContainText(`${target.vials - 1} vial`);
  await page.screenshot({ path: `${screens}/phone-discard-id.png`, fullPage: true });
  await page.getByTestId("discard-cancel").click();

  await page.getByTestId("stockbook-count").click();
  const countInputs = page.locator('[data-testid^="count-vials-"]');
  await expect(countInputs.first()).toBeVisible();
  for (const input of await countInputs.all()) {
    const shown = Number(await input.getAttribute("placeholder"));
    const isTarget = (await input.getAttribute("data-testid")) === `count-vials-${target.lotNumber}`;
    await input.fill(String(isTarget ? shown + 1 : shown));
  }
  await expect(page.getByTestId(`count-vials-${target.lotNumber}`)).toHaveValue(String(target.vials));
  await expect(page.getByTestId(`count-difference-${target.lotNumber}`)).toContainText("lebih banyak");
  await expect(page.getByTestId("count-summary")).toHaveText("1 batch berselisih.");
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-count-id.png`, fullPage: true });
  await page.getByTestId("count-submit").click();
  await expect(page.getByTestId("count-done")).toContainText("1 berselisih");
  expect(pushes).toEqual([]);

  // The app is closed and opened again, still without reaching the server: what was recorded is
  // still on the phone and in the stock it shows, and nothing reached the server.
  await page.route(apiCall, (route) => route.abort("internetdisconnected"));
  await context.setOffline(false);
  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/count`);
  await expect(page.getByTestId(`count-vials-${target.lotNumber}`)).toHaveAttribute(
    "placeholder",
    String(target.vials),
  );
  expect(await entriesSince(target.batchId)).toEqual([]);

  // Back online: the queue goes out in order, each action applied once.
  await page.unroute(apiCall);
  await context.setOffline(true);
  await context.setOffline(false);
  await expect.poll(async () => (await entriesSince(target.batchId)).length, { timeout: 60_000 }).toBe(2);
  // Newest first: the count that found one vial more than the phone showed, after the discard.
  expect(await entriesSince(target.batchId)).toMatchObject([
    { movementType: "count", quantity: perVial, balanceAfter: target.vials * perVial },
    { movementType: "discard", quantity: -perVial },
  ]);
  // Every other lot was counted once, as it stood.
  const lotsAfter = (await api<{ items: Lot[] }>("stock.listBalances", { orgUnitId: me.orgUnitId, limit: 100 })).items;
  for (const lot of lotsBefore.filter((candidate) => candidate.batchId !== target.batchId)) {
    expect(lotsAfter.find((candidate) => candidate.batchId === lot.batchId)?.vials).toBe(lot.vials);
    expect(await entriesSince(lot.batchId)).toMatchObject([{ movementType: "count", quantity: 0 }]);
  }
  // Opening the app again sends nothing more.
  await page.reload();
  await expect(page.getByTestId(`count-vials-${target.lotNumber}`)).toBeVisible();
  expect(await entriesSince(target.batchId)).toHaveLength(2);

  // The console's ledger of the facility shows them: the count's entry of the lot, and its discard.
  await officer.goto(`${e2eEnv.E2E_WEB_URL}/facilities/${me.orgUnitId}`);
  const lotEntries = officer.getByTestId("ledger-entry").filter({ hasText: target.lotNumber });
  await expect(lotEntries.filter({ hasText: "Stok opname" }).first()).toContainText(`+${perVial}`);
  await expect(lotEntries.filter({ hasText: "Pembuangan" }).first()).toBeVisible();
  await officer
    .getByTestId("facility-ledger")
    .screenshot({ path: `${screens}/console-ledger-after-phone-sync-id.png` });
  await officer.close();

  await screenshotAdjust(page, "id");
  await screenshotAllInEnglish(page, target.lotNumber);
});

/** The adjust form filled as staff would, without sending it. */
async function screenshotAdjust(page: Page, locale: "id" | "en") {
  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/adjust`);
  await page.locator('[data-testid^="adjust-lot-"]').first().click();
  await page.getByTestId("adjust-direction-remove").click();
  // `found` only adds: it is not offered for a removal.
  await expect(page.getByTestId("adjust-reason-found")).toHaveCount(0);
  await page.getByTestId("adjust-reason-lost").click();
  await page.getByTestId("adjust-vials-input").fill("1");
  await page.getByTestId("adjust-note-input").fill(locale === "id" ? "Jatuh saat dipindahkan" : "Dropped while moved");
  await expect(page.getByTestId("adjust-submit")).toBeEnabled();
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-adjust-${locale}.png`, fullPage: true });
}

async function screenshotAllInEnglish(page: Page, lotNumber: string) {
  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/stock`);
  const saved = page.waitForResponse((response) => /auth\.setLocale/.test(response.url()));
  await page.getByTestId("language-en").click();
  expect((await saved).ok()).toBe(true);
  await expect(page.getByTestId("stockbook-count")).toHaveText("Stock count");
  await page.screenshot({ path: `${screens}/phone-stockbook-links-en.png`, fullPage: true });

  await page.getByTestId("stockbook-discard").click();
  await page.getByTestId(`discard-lot-${lotNumber}`).click();
  await page.getByTestId("discard-reason-other").click();
  await page.getByTestId("discard-vials-input").fill("1000");
  await expect(page.getByTestId("discard-vials-error")).toContainText("of this lot");
  await expect(page.getByTestId("discard-submit")).toBeDisabled();
  await page.screenshot({ path: `${screens}/phone-discard-en.png`, fullPage: true });
  await screenshotAdjust(page, "en");

  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/count`);
  const first = page.locator('[data-testid^="count-vials-"]').first();
  await first.fill(String(Number(await first.getAttribute("placeholder")) + 2));
  await expect(page.getByTestId("count-summary")).toContainText("still to count");
  await page.screenshot({ path: `${screens}/phone-count-en.png`, fullPage: true });

  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/request`);
  await expect(page.getByTestId(`request-suggested-${requestedItem}`)).toContainText("Suggested");
  await page.screenshot({ path: `${screens}/phone-request-en.png`, fullPage: true });
  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/requests`);
  await expect(page.getByTestId("request-card").filter({ hasText: "Submitted" }).first()).toBeVisible();
  await page.screenshot({ path: `${screens}/phone-requests-en.png`, fullPage: true });

  // Back to Indonesian, on the record too, so a rerun starts where this one did.
  const restored = page.waitForResponse((response) => /auth\.setLocale/.test(response.url()));
  await page.getByTestId("language-id").click();
  expect((await restored).ok()).toBe(true);
}

function numberIn(text: string): number {
  const match = /\d[\d.]*/.exec(text);
  expect(match, `a number in "${text}"`).not.toBeNull();
  // Indonesian groups thousands with a dot: 1.234.
  return Number((match?.[0] ?? "").replaceAll(".", ""));
}
