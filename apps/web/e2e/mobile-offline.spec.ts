import { type APIRequestContext, type BrowserContext, expect, type Locator, type Page, test } from "@playwright/test";
import { callApi, phoneToken } from "./api";
import { demoAccounts, demoPassword, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

// A modest Android phone, in Bahasa Indonesia (the browser's language, playwright.config).
test.use({ viewport: { width: 360, height: 740 } });

const screens = "test-results/screens";
const itemCode = "BOPV";
const mobileOrigin = new URL(e2eEnv.E2E_MOBILE_URL).origin;

type Item = { id: number; code: string; name: string; dosesPerVial: number };
type Lot = { batchId: number; quantity: number; usable: boolean; expiryDate: string };
type LedgerEntry = { movementType: string; shipmentId: number | null; recordedAt: string; quantity: number };

/** A shipment of two vials of the district's earliest usable lot, dispatched to the facility. */
async function dispatchToFacility(
  request: APIRequestContext,
  officer: string,
  route: { district: number; facility: number },
  item: Item,
) {
  const lots = await callApi<{ items: Lot[] }>(
    request,
    "stock.listBalances",
    { orgUnitId: route.district, itemId: item.id, limit: 100 },
    { token: officer, kind: "query" },
  );
  const doses = item.dosesPerVial * 2;
  const lot = lots.items
    .filter((candidate) => candidate.usable && candidate.quantity >= doses)
    .sort((a, b) => a.expiryDate.localeCompare(b.expiryDate))[0];
  if (!lot) throw new Error(`the district holds no usable ${item.code} lot`);
  const draft = await callApi<{ shipmentId: number }>(
    request,
    "distribution.createShipment",
    {
      idempotencyKey: crypto.randomUUID(),
      senderOrgUnitId: route.district,
      receiverOrgUnitId: route.facility,
      lines: [{ batchId: lot.batchId, doses }],
    },
    { token: officer, kind: "mutation" },
  );
  await callApi(
    request,
    "distribution.dispatchShipment",
    { idempotencyKey: crypto.randomUUID(), shipmentId: draft.shipmentId },
    { token: officer, kind: "mutation" },
  );
  return draft.shipmentId;
}

/**
 * Remembers what the phone's web build served (its shell and bundle), so a page opened while the
 * browser is offline still starts the app: the web build's own cache of its shell is not what this
 * test is about; what the app keeps on the device (data and queue) is.
 */
async function keepAppShell(context: BrowserContext) {
  const served = new Map<string, { body: Buffer; contentType: string }>();
  context.on("response", async (response) => {
    if (!response.url().startsWith(mobileOrigin) || response.request().method() !== "GET" || !response.ok()) return;
    const body = await response.body().catch(() => null);
    if (body) served.set(response.url(), { body, contentType: response.headers()["content-type"] ?? "" });
  });
  return async () => {
    await context.route(
      (url) => url.origin === mobileOrigin,
      async (route) => {
        const url = new URL(route.request().url());
        // A route of the single-page app is the shell itself.
        const kept = served.get(url.href) ?? served.get(`${mobileOrigin}/`);
        if (!kept) return route.abort("internetdisconnected");
        await route.fulfill({ body: kept.body, contentType: kept.contentType, status: 200 });
      },
    );
  };
}

async function countIn(locator: Locator): Promise<number> {
  const text = (await locator.textContent()) ?? "";
  const match = /\d[\d.]*/.exec(text);
  expect(match, `a number in "${text}"`).not.toBeNull();
  // Indonesian groups thousands with a dot: 1.234.
  return Number((match?.[0] ?? "").replaceAll(".", ""));
}

async function recordUsage(page: Page, vials: number, doses: number) {
  await page.getByTestId("nav-stock").click();
  await page.getByTestId("record-usage-button").click();
  await page.getByTestId(`usage-item-${itemCode}`).click();
  await page.getByTestId("usage-vials-input").fill(String(vials));
  await page.getByTestId("usage-doses-input").fill(String(doses));
  await page.getByTestId("usage-submit").click();
}

async function receiveAsShipped(page: Page, shipmentId: number, note: string) {
  await page.getByTestId("nav-deliveries").click();
  await page.getByTestId(`receive-${shipmentId}`).click();
  await expect(page.getByTestId("receive-line").first()).toBeVisible();
  await page.getByTestId("receive-note").fill(note);
  await page.getByTestId("receive-submit").click();
}

test("[PHONE OFFLINE]: staff receive a shipment and record a session offline, reopen the app offline, and every action reaches the server once", async ({
  context,
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const startedAt = Date.now();
  const staff = await phoneToken(request, demoAccounts.facilityStaffSleman);
  const officer = await phoneToken(request, demoAccounts.districtOfficerSleman);
  const facility = (
    await callApi<{ orgUnitId: number }>(request, "auth.me", undefined, { token: staff, kind: "query" })
  ).orgUnitId;
  const district = (
    await callApi<{ orgUnitId: number }>(request, "auth.me", undefined, { token: officer, kind: "query" })
  ).orgUnitId;
  const items = await callApi<{ items: Item[] }>(
    request,
    "stock.listItems",
    { limit: 100 },
    { token: staff, kind: "query" },
  );
  const item = items.items.find((candidate) => candidate.code === itemCode);
  if (!item) throw new Error(`the seed has no ${itemCode}`);
  // Two shipments on their way: one the phone receives, one that another phone receives first.
  const received = await dispatchToFacility(request, officer, { district, facility }, item);
  const receivedElsewhere = await dispatchToFacility(request, officer, { district, facility }, item);
  const note = `offline ${crypto.randomUUID().slice(0, 8)}`;

  // Signed in online: the first pull fills the phone.
  const serveShellOffline = await keepAppShell(context);
  const pushes: string[] = [];
  // Pushes the server answered: offline, the engine's tries never reach it.
  page.on("response", (answer) => {
    if (answer.request().method() === "POST" && answer.url().includes("sync.push")) pushes.push(answer.url());
  });
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await expect(page.getByTestId("home-fridge").first()).toBeVisible();
  await expect(page.getByTestId("home-fridge-temp").first()).toHaveText(/^(-?\d+,\d °C|—)$/);
  await expect(page.getByTestId("home-fridge").first().getByTestId("fridge-trend")).not.toBeEmpty();
  await expect(page.getByTestId("sync-age")).toHaveText("Data baru saja diperbarui");
  await expect(page.getByTestId("sync-waiting")).toHaveText("Tidak ada yang menunggu dikirim");
  await expect(page.getByTestId("home-shipments")).toContainText("kiriman dalam perjalanan");
  await page.screenshot({ path: `${screens}/phone-home-id.png`, fullPage: true });

  await page.getByTestId("nav-stock").click();
  const row = page.getByTestId("stock-row").filter({ hasText: item.name });
  const before = await countIn(row.getByTestId("stock-doses"));
  await page.screenshot({ path: `${screens}/phone-stock-id.png`, fullPage: true });
  await page.getByTestId("nav-deliveries").click();
  await expect(page.getByTestId(`receive-${received}`)).toBeVisible();
  await expect(page.getByTestId(`receive-${receivedElsewhere}`)).toBeVisible();
  await page.screenshot({ path: `${screens}/phone-deliveries-id.png`, fullPage: true });

  // No signal: the phone says so, and every action is saved on it at once.
  await context.setOffline(true);
  await expect(page.getByTestId("sync-offline")).toHaveText("Luring");
  await receiveAsShipped(page, received, note);
  await expect(page.getByTestId("receive-success")).toContainText(`Kiriman ${received} diterima.`);
  await expect(page.getByTestId("receive-success")).toContainText("Tersimpan di ponsel");
  await expect(page.getByTestId(`receive-${received}`)).toHaveCount(0);
  // Meanwhile another phone of the facility receives the second shipment; this one does too, offline.
  await callApi(
    request,
    "distribution.receiveShipment",
    { idempotencyKey: crypto.randomUUID(), shipmentId: receivedElsewhere },
    { token: staff, kind: "mutation" },
  );
  await receiveAsShipped(page, receivedElsewhere, `${note} again`);
  await expect(page.getByTestId("receive-success")).toContainText("Tersimpan di ponsel");
  await recordUsage(page, 1, item.dosesPerVial - 1);
  await expect(page.getByTestId("usage-success")).toContainText("Tersimpan di ponsel");
  await expect(row.getByTestId("stock-doses")).toHaveText((before - item.dosesPerVial).toLocaleString("id-ID"));
  await expect(row.getByTestId("stock-pending")).toContainText(`${item.dosesPerVial} dosis dipakai di ponsel ini`);
  await expect(page.getByTestId("sync-waiting")).toHaveText("3 tindakan menunggu dikirim");
  expect(pushes).toHaveLength(0);

  // The app closed and opened again, still offline: its data and its queue are there.
  await serveShellOffline();
  await page.close();
  const reopened = await context.newPage();
  await reopened.goto(e2eEnv.E2E_MOBILE_URL);
  await expect(reopened.getByTestId("home-fridge").first()).toBeVisible();
  await expect(reopened.getByTestId("sync-offline")).toBeVisible();
  await expect(reopened.getByTestId("sync-waiting")).toHaveText("3 tindakan menunggu dikirim");
  await expect(reopened.getByTestId("home-waiting")).toHaveText("3 tindakan menunggu dikirim.");
  await reopened.getByTestId("sign-out-button").click();
  await expect(reopened.getByTestId("sign-out-message")).toContainText("Masih ada 3 tindakan yang menunggu dikirim");
  await reopened.screenshot({ path: `${screens}/phone-sign-out-warning-id.png` });
  await reopened.getByTestId("sign-out-stay").click();
  await reopened.getByTestId("nav-stock").click();
  const reopenedRow = reopened.getByTestId("stock-row").filter({ hasText: item.name });
  await expect(reopenedRow.getByTestId("stock-doses")).toHaveText((before - item.dosesPerVial).toLocaleString("id-ID"));

  // Back online: the queue goes out in order; the receipt another phone made first is refused, the rest
  // applied. In Chromium a document the test served itself cannot reach another origin, so the app
  // comes back as a normal load here (the web build's own offline shell is separate work); going
  // online with the app open is shown further on.
  await reopened.close();
  await context.unrouteAll({ behavior: "ignoreErrors" });
  await context.setOffline(false);
  const phone = await context.newPage();
  phone.on("response", (answer) => {
    if (answer.request().method() === "POST" && answer.url().includes("sync.push")) pushes.push(answer.url());
  });
  await phone.goto(e2eEnv.E2E_MOBILE_URL);
  await expect(phone.getByTestId("sync-waiting")).toHaveText("Tidak ada yang menunggu dikirim");
  await expect(phone.getByTestId("sync-offline")).toHaveCount(0);
  await expect(phone.getByTestId("sync-rejected")).toHaveText("1 tindakan ditolak: lihat alasannya");
  await phone.getByTestId("sync-rejected").click();
  const refusal = phone.getByTestId("rejected-action");
  await expect(refusal).toHaveCount(1);
  await expect(refusal).toContainText(`Penerimaan kiriman ${receivedElsewhere}`);
  await expect(refusal.getByTestId("rejected-reason")).toContainText("Kiriman ini sudah diterima");
  await phone.screenshot({ path: `${screens}/phone-rejected-id.png`, fullPage: true });

  // Each action applied exactly once on the server: the pushes may repeat, the ledger does not.
  const ledger = await callApi<{ items: LedgerEntry[] }>(
    request,
    "stock.listLedger",
    { orgUnitId: facility, itemId: item.id, limit: 100 },
    { token: staff, kind: "query" },
  );
  const since = ledger.items.filter((entry) => Date.parse(entry.recordedAt) >= startedAt);
  expect(since.filter((entry) => entry.shipmentId === received)).toHaveLength(1);
  expect(since.filter((entry) => entry.shipmentId === receivedElsewhere)).toHaveLength(1);
  expect(since.filter((entry) => entry.movementType === "usage")).toHaveLength(1);
  expect(pushes.length).toBeGreaterThan(0);

  // The English screens, and the warning when an action waits.
  const saved = phone.waitForResponse((response) => /auth\.setLocale/.test(response.url()));
  await phone.getByTestId("rejected-back").click();
  await phone.getByTestId("language-en").click();
  expect((await saved).ok()).toBe(true);
  await phone.getByTestId("sync-rejected").click();
  await expect(phone.getByTestId("rejected-reason")).toContainText("already received");
  await phone.screenshot({ path: `${screens}/phone-rejected-en.png`, fullPage: true });
  await phone.getByTestId("rejected-dismiss").click();
  await expect(phone.getByTestId("rejected-action")).toHaveCount(0);
  await phone.getByTestId("rejected-back").click();
  await phone.getByTestId("nav-home").click();
  await expect(phone.getByTestId("home-waiting")).toHaveText("Every action is sent.");
  await phone.screenshot({ path: `${screens}/phone-home-en.png`, fullPage: true });
  await phone.getByTestId("nav-stock").click();
  await expect(phone.getByTestId("stock-row").first()).toBeVisible();
  await phone.screenshot({ path: `${screens}/phone-stock-en.png`, fullPage: true });
  await phone.getByTestId("nav-deliveries").click();
  await expect(phone.getByTestId(`receive-${received}`)).toHaveCount(0);
  await phone.screenshot({ path: `${screens}/phone-deliveries-en.png`, fullPage: true });

  // Offline again with the app open, one more session: it goes out as soon as the signal returns.
  await context.setOffline(true);
  await expect(phone.getByTestId("sync-offline")).toHaveText("Offline");
  await recordUsage(phone, 1, 1);
  await expect(phone.getByTestId("usage-success")).toContainText("Saved on the phone");
  await expect(phone.getByTestId("sync-waiting")).toHaveText("1 action waiting to be sent");
  await context.setOffline(false);
  await expect(phone.getByTestId("sync-waiting")).toHaveText("Nothing waiting to be sent");
  await expect(phone.getByTestId("usage-success")).toContainText("Sent to the server");

  // Offline once more, a session, then sign-out: it warns, and signing out anyway wipes the phone.
  await context.setOffline(true);
  await recordUsage(phone, 1, 1);
  await expect(phone.getByTestId("sync-waiting")).toHaveText("1 action waiting to be sent");
  await phone.getByTestId("sign-out-button").click();
  await expect(phone.getByTestId("sign-out-message")).toContainText("1 action is still waiting to be sent");
  await phone.screenshot({ path: `${screens}/phone-sign-out-warning-en.png` });
  await phone.getByTestId("sign-out-confirm").click();
  await expect(phone.getByTestId("sign-in-button")).toBeVisible();
  // No action and no lot of the facility is left on the phone (the emptied queue may stay, empty).
  const kept = await phone.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith("rantai.user."))
      .map((key) => `${key}=${localStorage.getItem(key)}`),
  );
  expect(kept.join("\n")).not.toMatch(/idempotencyKey|batchId|equipmentId/);
  await context.setOffline(false);
  // The user's language back to Indonesian, as the other phone tests expect of this account.
  await callApi(request, "auth.setLocale", { locale: "id" }, { token: staff, kind: "mutation" });

  // The console shows the receipt made offline once in the facility's ledger.
  const consolePage = await context.newPage();
  await consolePage.setViewportSize({ width: 1280, height: 900 });
  await signInToConsole(consolePage, demoAccounts.districtOfficerSleman);
  await consolePage.goto(`${e2eEnv.E2E_WEB_URL}/facilities/${facility}`);
  const consoleLedger = consolePage.getByTestId("ledger-entry");
  await expect(consoleLedger.first()).toBeVisible();
  await expect(consoleLedger.filter({ hasText: new RegExp(`shipment:${received}\\b`) })).toHaveCount(1);
  await expect(consoleLedger.filter({ hasText: new RegExp(`shipment:${receivedElsewhere}\\b`) })).toHaveCount(1);
  // The session sent while the app was open reached the server; nothing of the wiped one did.
  const after = await callApi<{ items: LedgerEntry[] }>(
    request,
    "stock.listLedger",
    { orgUnitId: facility, itemId: item.id, limit: 100 },
    { token: staff, kind: "query" },
  );
  expect(
    after.items.filter((entry) => Date.parse(entry.recordedAt) >= startedAt && entry.movementType === "usage"),
  ).toHaveLength(2);
});
