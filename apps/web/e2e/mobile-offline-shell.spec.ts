import { expect, type Page, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";

// A modest Android phone; the browser is Indonesian (playwright.config), as the device would be.
test.use({ viewport: { width: 360, height: 740 } });

const screens = "test-results/screens";

/** The web build's service worker has installed the shell and answers this page's requests. */
async function waitForOfflineShell(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 });
}

test("[PHONE]: with no signal, a reload still opens the app's sign-in, in the language chosen on the phone", async ({
  context,
  page,
}) => {
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await expect(page.getByTestId("sign-in-button")).toHaveText("Masuk");
  await waitForOfflineShell(page);

  await context.setOffline(true);
  // Offline for the page and for its service worker alike: the shell comes from the worker's cache.
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(page.getByTestId("sign-in-button")).toHaveText("Masuk");
  await page.screenshot({ path: `${screens}/phone-offline-sign-in-id.png`, fullPage: true });

  // A deep link opens the router too, which sends a signed-out phone to sign in.
  await page.goto(`${e2eEnv.E2E_MOBILE_URL}/fridges`);
  await expect(page.getByTestId("sign-in-button")).toBeVisible();

  // The language is a choice kept on the phone (this phone never signs in, so no account keeps it).
  await page.getByTestId("language-en").click();
  await expect(page.getByTestId("sign-in-button")).toHaveText("Sign in");
  await page.reload();
  await expect(page.getByTestId("sign-in-button")).toHaveText("Sign in");
  await page.screenshot({ path: `${screens}/phone-offline-sign-in-en.png`, fullPage: true });
});

test("[PHONE]: signed-in staff who lose the signal reload and the app opens on their facility", async ({
  context,
  page,
}) => {
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await page.getByTestId("nav-fridges").click();
  await expect(page.getByTestId("facility-name")).toContainText("Puskesmas Depok");
  await waitForOfflineShell(page);

  await context.setOffline(true);
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  // The session survives on the phone: its screens, not the sign-in form and not the browser's offline page.
  await expect(page.getByTestId("nav-fridges")).toHaveText("Lemari es");
  await expect(page.getByTestId("sign-in-button")).toHaveCount(0);
  await page.screenshot({ path: `${screens}/phone-offline-signed-in-id.png`, fullPage: true });

  // Back online, the same page reaches the server again.
  await context.setOffline(false);
  await page.reload();
  await page.getByTestId("nav-fridges").click();
  await expect(page.getByTestId("facility-name")).toContainText("Puskesmas Depok");
});
