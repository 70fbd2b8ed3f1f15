import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { callApi, callApiRaw, phoneSession } from "./api";
import { demoAccounts, demoPassword, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;
const itemCode = "BOPV";
type Item = { id: number; code: string; dosesPerVial: number };

/** A dispatched shipment from Sleman's district store to Puskesmas Depok, made through the API. */
async function dispatchToDepok(request: APIRequestContext) {
  const officer = await phoneSession(request, demoAccounts.districtOfficerSleman);
  const depok = await phoneSession(request, demoAccounts.facilityStaffSleman);
  const token = officer.token;
  const items = await callApi<{ items: Item[] }>(request, "stock.listItems", { limit: 100 }, { token, kind: "query" });
  const item = items.items.find((candidate) => candidate.code === itemCode);
  if (!item) throw new Error(`the seed has no ${itemCode}`);
  const plan = await callApi<{ lines: { batchId: number; doses: number }[] }>(
    request,
    "distribution.proposeAllocation",
    { lines: [{ itemId: item.id, doses: item.dosesPerVial * 2 }] },
    { token, kind: "query" },
  );
  const created = await callApi<{ shipmentId: number }>(
    request,
    "distribution.createShipment",
    {
      idempotencyKey: randomUUID(),
      senderOrgUnitId: officer.user.orgUnitId,
      receiverOrgUnitId: depok.user.orgUnitId,
      lines: plan.lines.map((line) => ({ batchId: line.batchId, doses: line.doses })),
    },
    { token, kind: "mutation" },
  );
  await callApi(
    request,
    "distribution.dispatchShipment",
    { idempotencyKey: randomUUID(), shipmentId: created.shipmentId },
    { token, kind: "mutation" },
  );
  return { shipmentId: created.shipmentId, item };
}

/** A real JPEG (drawn on a canvas in the page), as a phone camera would give one. */
async function jpegFrom(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 240;
    const context = canvas.getContext("2d");
    if (context) {
      context.fillStyle = "#8d6e63";
      context.fillRect(0, 0, 320, 240);
      context.fillStyle = "#fdecea";
      context.fillRect(60, 50, 200, 140);
    }
    return canvas.toDataURL("image/jpeg", 0.8);
  });
  return Buffer.from(dataUrl.split(",")[1] ?? "", "base64");
}

test("[PHOTOS]: staff attach a damage photo offline on receipt; the district officer sees it; other districts are refused", async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(150_000);
  const { shipmentId, item } = await dispatchToDepok(request);

  // The puskesmas opens the shipment on its phone, then loses the signal.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "id-ID" });
  const phone = await context.newPage();
  await phone.goto(e2eEnv.E2E_MOBILE_URL);
  await phone.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await phone.getByTestId("password-input").fill(demoPassword);
  await phone.getByTestId("sign-in-button").click();
  await phone.getByTestId("nav-deliveries").click();
  await phone.getByTestId(`receive-${shipmentId}`).click();
  const damaged = phone.locator('[data-testid^="damaged-"]').first();
  await expect(damaged).toBeVisible();
  const lineId = ((await damaged.getAttribute("data-testid")) ?? "").replace("damaged-", "");
  // Two vials were sent: one arrived whole, one broken.
  await phone.getByTestId(`received-${lineId}`).fill(String(item.dosesPerVial));
  await damaged.fill(String(item.dosesPerVial));
  const photo = await jpegFrom(phone);
  await context.setOffline(true);

  // The photo is kept on the phone while there is no connection.
  const chooser = phone.waitForEvent("filechooser");
  await phone.getByTestId(`add-photo-${lineId}`).click();
  await (await chooser).setFiles({ name: "kerusakan.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(phone.getByTestId(`photos-waiting-${lineId}`)).toContainText("1 foto menunggu diunggah");
  await phone.screenshot({ path: "test-results/screens/phone-photo-waiting-id.png", fullPage: true });

  // The signal returns: the photo goes up once, without the user doing anything.
  await context.setOffline(false);
  await expect(phone.getByTestId(`photos-sent-${lineId}`)).toContainText("1 foto terunggah");
  await expect(phone.getByTestId(`photos-waiting-${lineId}`)).toHaveCount(0);
  await phone.getByTestId("receive-submit").click();
  await expect(phone.getByTestId("receive-success")).toContainText(`Kiriman ${shipmentId} diterima`);
  await context.close();

  // The district officer sees the photo on the shipment in the console, loaded under its CSP.
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${web}/distribution/shipments/${shipmentId}`);
  const photos = page.getByTestId("shipment-photo");
  await expect(photos).toHaveCount(1);
  const image = photos.first().getByRole("img");
  await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(320);
  await page.screenshot({ path: "test-results/screens/console-shipment-photos-id.png", fullPage: true });

  // The link is signed: changing its expiry (or anything else in it) is refused.
  const link = new URL((await image.getAttribute("src")) ?? "", web);
  expect((await request.get(link.toString())).status()).toBe(200);
  link.searchParams.set("exp", String(Date.now() + 86_400_000));
  expect((await request.get(link.toString())).status()).toBe(403);

  // The same screen in English, chosen on the sign-in screen; the photo goes up at once online.
  const second = await dispatchToDepok(request);
  const english = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "id-ID" });
  const phoneEn = await english.newPage();
  await phoneEn.goto(e2eEnv.E2E_MOBILE_URL);
  await phoneEn.getByTestId("language-en").click();
  await phoneEn.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await phoneEn.getByTestId("password-input").fill(demoPassword);
  await phoneEn.getByTestId("sign-in-button").click();
  await phoneEn.getByTestId("nav-deliveries").click();
  await phoneEn.getByTestId(`receive-${second.shipmentId}`).click();
  const addPhoto = phoneEn.locator('[data-testid^="add-photo-"]').first();
  await expect(addPhoto).toContainText("Add a photo of the damage");
  const chooserEn = phoneEn.waitForEvent("filechooser");
  await addPhoto.click();
  await (await chooserEn).setFiles({ name: "damage.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(phoneEn.locator('[data-testid^="photos-sent-"]').first()).toContainText("1 photo uploaded");
  await phoneEn.screenshot({ path: "test-results/screens/phone-photo-sent-en.png", fullPage: true });
  // Back to Indonesian on the user's record, as the other tests expect of this account.
  await phoneEn.getByTestId("receive-cancel").click();
  const restored = phoneEn.waitForResponse((response) => /auth\.setLocale/.test(response.url()));
  await phoneEn.getByTestId("language-id").click();
  expect((await restored).ok()).toBe(true);
  await english.close();

  // Another district's officer and another puskesmas get no photo and no link.
  for (const email of [demoAccounts.districtOfficerBantul, demoAccounts.facilityStaffBantul]) {
    const other = await phoneSession(request, email);
    const refused = await callApiRaw(
      request,
      "distribution.listShipmentPhotos",
      { shipmentId },
      {
        token: other.token,
        kind: "query",
      },
    );
    expect(refused.result).toBeUndefined();
    expect(refused.error?.json?.data?.reason).toBe("scope.forbidden");
  }
});
