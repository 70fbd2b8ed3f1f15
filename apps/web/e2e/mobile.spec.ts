import { expect, type Page, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";
import { expectNoSidewaysScroll, expectTouchTargets } from "./phone";

// A modest Android phone; the browser is Indonesian (playwright.config), as the device would be.
test.use({ viewport: { width: 360, height: 740 } });

const screens = "test-results/screens";

test("[PHONE]: facility staff sign in on the app's web build and see their fridges, in Bahasa Indonesia", async ({
  page,
}) => {
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await expect(page.getByTestId("sign-in-button")).toHaveText("Masuk");
  await expect(page.getByTestId("language-id")).toHaveAttribute("aria-checked", "true");
  await page.screenshot({ path: `${screens}/phone-sign-in-id.png`, fullPage: true });
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill("wrong-password");
  await page.getByTestId("sign-in-button").click();
  // The refusal's reason, worded by the catalog, not the server's English message.
  await expect(page.getByTestId("sign-in-error")).toHaveText(
    "Email atau kata sandi tidak tepat. Periksa keduanya lalu coba lagi.",
  );

  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  // The home screen first: each fridge now, the stock to watch, what is on its way, what waits to be sent.
  await expect(page.getByTestId("home-fridge").first()).toBeVisible();
  await expect(page.getByTestId("home-stock")).toBeVisible();
  await expect(page.getByTestId("nav-home")).toHaveText("Beranda");
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.getByTestId("nav-fridges").click();
  await expect(page.getByTestId("facility-name")).toContainText("Puskesmas Depok");
  await expect(page.getByTestId("fridge-card").first()).toBeVisible();
  // Indonesian decimals: 4,6 °C.
  await expect(page.getByTestId("fridge-temp").first()).toHaveText(/^(-?\d+,\d °C|—)$/);
  await expect(page.getByTestId("nav-fridges")).toHaveText("Lemari es");
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-fridges-id.png`, fullPage: true });

  await page.getByTestId("nav-stock").click();
  await expect(page.getByTestId("stock-row").first()).toBeVisible();
  await expect(page.getByTestId("stock-status").first()).not.toBeEmpty();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-stock-id.png`, fullPage: true });
  await page.getByTestId("record-usage-button").click();
  await page.getByTestId("usage-item-BOPV").click();
  await expect(page.getByTestId("usage-vials-input")).toBeVisible();
  await expect(page.getByText(/^Kedaluwarsa \d{1,2} \w{3} \d{4}/).first()).toBeVisible();
  await page.getByTestId("usage-vials-input").fill("100000000");
  await expect(page.getByTestId("usage-vials-error")).toContainText("Stok batch");
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-record-usage-id.png`, fullPage: true });
  await page.getByTestId("usage-cancel").click();

  await page.getByTestId("nav-deliveries").click();
  await expect(page.getByRole("heading", { name: "Kiriman" })).toBeVisible();
  // Loaded: a shipment on its way (another test may have sent one) or the words for none.
  await expect(
    page
      .getByTestId("delivery-card")
      .or(page.getByText("Tidak ada kiriman yang sedang menuju puskesmas Anda."))
      .first(),
  ).toBeVisible();

  // Signing out asks first, briefly when nothing waits to be sent.
  await page.getByTestId("sign-out-button").click();
  await expect(page.getByTestId("sign-out-message")).toContainText("Semua sudah terkirim");
  await page.getByTestId("sign-out-confirm").click();
  await expect(page.getByTestId("sign-in-button")).toBeVisible();
});

test("[PHONE]: staff switch the app to English; it stays on the phone, before sign-in too, and on their record", async ({
  browser,
  page,
}) => {
  await signIn(page, demoAccounts.facilityStaffBantul);
  await expect(page.getByTestId("nav-fridges")).toHaveText("Lemari es");
  await page.getByTestId("nav-fridges").click();

  const saved = page.waitForResponse((response) => /auth\.setLocale/.test(response.url()));
  await page.getByTestId("language-en").click();
  expect((await saved).ok()).toBe(true);
  await expect(page.getByTestId("language-en")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("nav-fridges")).toHaveText("Fridges");
  await expect(page.getByTestId("facility-name")).toContainText("Puskesmas Sewon");
  await expect(page.getByTestId("fridge-temp").first()).toHaveText(/^(-?\d+\.\d °C|—)$/);
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-fridges-en.png`, fullPage: true });

  await page.getByTestId("nav-stock").click();
  await expect(page.getByTestId("record-usage-button")).toHaveText("Record a session's usage");
  await expect(page.getByTestId("stock-row").first()).toBeVisible();
  await page.screenshot({ path: `${screens}/phone-stock-en.png`, fullPage: true });
  await page.getByTestId("record-usage-button").click();
  await page.locator('[data-testid^="usage-item-"]:not([aria-disabled="true"])').first().click();
  await expect(page.getByTestId("usage-vials-input")).toBeVisible();
  await page.getByTestId("usage-vials-input").fill("100000000");
  await expect(page.getByTestId("usage-vials-error")).toContainText("in stock");
  await page.screenshot({ path: `${screens}/phone-record-usage-en.png`, fullPage: true });
  await page.getByTestId("usage-cancel").click();
  await page.getByTestId("nav-deliveries").click();
  await expect(page.getByRole("heading", { name: "Deliveries" })).toBeVisible();
  await expect(
    page.getByTestId("delivery-card").or(page.getByText("No shipment is on its way to your facility.")).first(),
  ).toBeVisible();

  // Signed out and reloaded, the phone keeps the choice: the sign-in screen is in English.
  // Reloading only once signed out: a reload while sign-out is still on its way would keep the session.
  await page.getByTestId("sign-out-button").click();
  await expect(page.getByTestId("sign-out-message")).toContainText("Everything is sent");
  await page.getByTestId("sign-out-confirm").click();
  await expect(page.getByTestId("sign-in-button")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("sign-in-button")).toHaveText("Sign in");
  await page.screenshot({ path: `${screens}/phone-sign-in-en.png`, fullPage: true });

  // On a phone that never chose (Indonesian), signing in applies the language on the user's record.
  const other = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: "id-ID" });
  await other.goto(e2eEnv.E2E_MOBILE_URL);
  await expect(other.getByTestId("sign-in-button")).toHaveText("Masuk");
  await signIn(other, demoAccounts.facilityStaffBantul);
  await expect(other.getByTestId("nav-fridges")).toHaveText("Fridges");
  // Back to Indonesian, on the record too, so a rerun starts where this one did.
  const restored = other.waitForResponse((response) => /auth\.setLocale/.test(response.url()));
  await other.getByTestId("language-id").click();
  expect((await restored).ok()).toBe(true);
  await expect(other.getByTestId("nav-fridges")).toHaveText("Lemari es");
  await other.close();
});

test("[PHONE]: an app older than the server's minimum is stopped with how to update, and goes on once the server accepts it", async ({
  page,
}) => {
  // The server's answer as it would be after the minimum was raised past this build's version;
  // "Periksa lagi" then asks the real server, which supports this build.
  let raised = true;
  await page.route("**/api/trpc/app.compatibility**", async (route) => {
    if (!raised) return route.continue();
    await route.fulfill({
      status: 200,
      headers: { "content-type": "application/json", "access-control-allow-origin": "*" },
      body: JSON.stringify([{ result: { data: { json: { supported: false, minimumVersion: "9.0.0" } } } }]),
    });
  });
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  const notice = page.getByTestId("update-required");
  await expect(notice).toContainText("Perbarui aplikasi Rantai");
  await expect(notice).toContainText("Versi terendah yang didukung: 9.0.0");
  await expect(page.getByTestId("sign-in-button")).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-update-required-id.png`, fullPage: true });

  raised = false;
  const asked = page.waitForResponse((response) => /app\.compatibility/.test(response.url()));
  await page.getByRole("button", { name: "Periksa lagi" }).click();
  expect((await asked).ok()).toBe(true);
  await expect(page.getByTestId("sign-in-button")).toHaveText("Masuk");
  await expect(notice).toHaveCount(0);
});

async function signIn(page: Page, email: string) {
  if (!page.url().startsWith(e2eEnv.E2E_MOBILE_URL)) await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(email);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await expect(page.getByTestId("home-fridge").first()).toBeVisible();
}
