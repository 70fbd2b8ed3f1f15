import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { callApi, phoneToken } from "./api";
import { demoAccounts, demoPassword, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;
// A multi-dose vaccine the seed stocks at Sleman's store and its puskesmas.
const itemCode = "BOPV";

type Item = { id: number; code: string; name: string; dosesPerVial: number };

async function findItem(request: APIRequestContext, token: string): Promise<Item> {
  const items = await callApi<{ items: Item[] }>(request, "stock.listItems", { limit: 100 }, { token, kind: "query" });
  const item = items.items.find((candidate) => candidate.code === itemCode);
  if (!item) throw new Error(`the seed has no ${itemCode}`);
  return item;
}

async function switchLanguage(page: Page, from: "id" | "en", to: "id" | "en") {
  await page.getByLabel(from === "id" ? "Bahasa" : "Language", { exact: true }).selectOption(to);
  await expect(page.locator("html")).toHaveAttribute("lang", to);
}

test("[DISTRIBUTION]: a district officer approves a facility's request beside its stock, ships it, and dispatches once", async ({
  page,
  request,
}) => {
  // The puskesmas asks for stock from its phone (the API it uses).
  const token = await phoneToken(request, demoAccounts.facilityStaffSleman);
  const item = await findItem(request, token);
  const asked = item.dosesPerVial * 10;
  const created = await callApi<{ requestId: number }>(
    request,
    "distribution.createRequest",
    {
      idempotencyKey: crypto.randomUUID(),
      requesterOrgUnitId: (
        await callApi<{ orgUnitId: number }>(request, "auth.me", undefined, { token, kind: "query" })
      ).orgUnitId,
      lines: [{ itemId: item.id, requestedDoses: asked }],
    },
    { token, kind: "mutation" },
  );

  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.getByRole("link", { name: "Distribusi", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Distribusi", level: 1 })).toBeVisible();
  const row = page.getByTestId("request-row").filter({ hasText: `#${created.requestId}` });
  await expect(row).toContainText("Puskesmas Depok");
  await expect(row).toContainText("Menunggu");
  await page.screenshot({ path: "test-results/screens/distribution-inbox-id.png", fullPage: true });
  await switchLanguage(page, "id", "en");
  await expect(row).toContainText("Waiting");
  await page.screenshot({ path: "test-results/screens/distribution-inbox-en.png", fullPage: true });
  await switchLanguage(page, "en", "id");

  // Approve fewer doses than asked, beside the facility's stock now.
  await row.getByRole("link").click();
  const line = page.getByTestId("request-line").filter({ hasText: item.name });
  await expect(line.locator("td").nth(2)).not.toHaveText("—");
  const approved = asked / 2;
  await line.getByRole("textbox").fill(String(approved));
  const approvals: string[] = [];
  page.on("request", (sent) => {
    if (sent.method() === "POST" && sent.url().includes("distribution.approveRequest")) approvals.push(sent.url());
  });
  await page.getByRole("button", { name: "Setujui permintaan" }).dblclick();
  await expect(page.getByText("Disetujui", { exact: true }).first()).toBeVisible();
  expect(approvals.length).toBeLessThanOrEqual(1);

  // A shipment for what was approved: lots proposed, then created as a draft.
  const plan = page.getByTestId("lot-plan");
  await expect(plan).toBeVisible();
  const planned = await plan
    .getByRole("textbox")
    .evaluateAll((inputs) => inputs.reduce((sum, input) => sum + Number((input as HTMLInputElement).value || 0), 0));
  expect(planned).toBe(approved);
  await page.getByRole("button", { name: "Buat draf pengiriman" }).click();
  await expect(page).toHaveURL(/\/distribution\/shipments\/\d+$/);
  await expect(page.getByTestId("shipment-status")).toHaveText("Draf");
  await page.screenshot({ path: "test-results/screens/distribution-shipment-id.png", fullPage: true });
  await switchLanguage(page, "id", "en");
  await expect(page.getByTestId("shipment-status")).toHaveText("Draft");
  await page.screenshot({ path: "test-results/screens/distribution-shipment-en.png", fullPage: true });
  await switchLanguage(page, "en", "id");

  // A double click dispatches once: the stock leaves the store one time.
  const dispatches: string[] = [];
  page.on("request", (sent) => {
    if (sent.method() === "POST" && sent.url().includes("distribution.dispatchShipment")) {
      dispatches.push(/"idempotencyKey":"([^"]+)"/.exec(sent.postData() ?? "")?.[1] ?? "");
    }
  });
  await page.getByRole("button", { name: "Berangkatkan" }).dblclick();
  await expect(page.getByTestId("shipment-status")).toHaveText("Dalam perjalanan");
  expect(new Set(dispatches).size).toBe(1);
  const shipmentId = Number(/\/shipments\/(\d+)$/.exec(page.url())?.[1]);
  const detail = await callApi<{ status: string; lines: { doses: number }[] }>(
    request,
    "distribution.getShipment",
    { shipmentId },
    { token, kind: "query" },
  );
  expect(detail.status).toBe("dispatched");
  expect(detail.lines.reduce((sum, shipped) => sum + shipped.doses, 0)).toBe(approved);
  const requestNow = await callApi<{ status: string }>(
    request,
    "distribution.getRequest",
    { requestId: created.requestId },
    { token, kind: "query" },
  );
  expect(requestNow.status).toBe("fulfilled");
});

test("[DISTRIBUTION]: a push allocation to three facilities, dispatched, and received on the facility's phone with a shortage", async ({
  page,
  browser,
  request,
}) => {
  // Two apps and three shipments walked through one by one: longer than one page's flow.
  test.setTimeout(180_000);
  const token = await phoneToken(request, demoAccounts.facilityStaffSleman);
  const item = await findItem(request, token);

  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.goto(`${web}/distribution/allocate`);
  await page.getByLabel("Barang", { exact: true }).selectOption({ label: item.name });
  const facilities = page.locator("ul li label");
  await expect(facilities.first()).toBeVisible();
  const depok = facilities.filter({ hasText: "Depok" });
  const others = facilities.filter({ hasNotText: "Depok" });
  const doses = item.dosesPerVial * 2;
  await depok.getByRole("textbox").fill(String(doses));
  await others.nth(0).getByRole("textbox").fill(String(doses));
  await others.nth(1).getByRole("textbox").fill(String(doses));
  await page.getByRole("button", { name: "Usulkan lot" }).click();
  await expect(page.getByTestId("push-plan")).toBeVisible();
  await page.getByRole("button", { name: "Buat 3 draf pengiriman" }).dblclick();
  const created = page.getByTestId("allocation-created");
  await expect(created).toContainText("3 draf pengiriman dibuat");

  // Dispatch each draft from its page.
  const links = await created.getByRole("link").all();
  expect(links).toHaveLength(3);
  const hrefs = await Promise.all(links.map((link) => link.getAttribute("href")));
  let depokShipment = "";
  for (const href of hrefs) {
    await page.goto(`${web}${href}`);
    await page.getByRole("button", { name: "Berangkatkan" }).click();
    await expect(page.getByTestId("shipment-status")).toHaveText("Dalam perjalanan");
    if ((await page.getByRole("heading", { level: 1 }).textContent())?.includes("Depok")) depokShipment = href ?? "";
  }
  expect(depokShipment).not.toBe("");
  const shipmentId = depokShipment.split("/").at(-1) ?? "";

  // The puskesmas receives it on its phone, one vial short.
  const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: "id-ID" });
  await phone.goto(e2eEnv.E2E_MOBILE_URL);
  await phone.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await phone.getByTestId("password-input").fill(demoPassword);
  await phone.getByTestId("sign-in-button").click();
  await phone.getByTestId("nav-deliveries").click();
  await phone.getByTestId(`receive-${shipmentId}`).click();
  await expect(phone.getByTestId("receive-line").first()).toBeVisible();
  await phone.screenshot({ path: "test-results/screens/phone-receive-shipment-id.png", fullPage: true });
  const lineInput = phone.locator('[data-testid^="received-"]').first();
  await expect(lineInput).toHaveValue(String(doses));
  await lineInput.fill(String(doses - item.dosesPerVial));
  await phone.getByTestId("receive-submit").click();
  await expect(phone.getByTestId("receive-success")).toContainText(`Kiriman ${shipmentId} diterima`);
  await expect(phone.getByTestId(`receive-${shipmentId}`)).toHaveCount(0);
  await phone.close();

  // The district sees the receipt and its shortage on the shipment.
  await page.goto(`${web}${depokShipment}`);
  await expect(page.getByTestId("shipment-status")).toHaveText("Diterima");
  const receipt = page.getByTestId("shipment-receipt");
  await expect(receipt.getByTestId("receipt-line").filter({ hasText: "Kurang" })).toContainText(
    String(item.dosesPerVial),
  );
  await page.screenshot({ path: "test-results/screens/distribution-receipt-id.png", fullPage: true });
});

test("[DISTRIBUTION]: a viewer sees the push allocation page with no form to send one", async ({ page }) => {
  await signInToConsole(page, "viewer.sleman@demo.rantai.id");
  await page.goto(`${web}/distribution/allocate`);
  await expect(page.getByText("Anda dapat melihat distribusi tetapi tidak mengubahnya.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Usulkan lot" })).toHaveCount(0);
});
