import { expect, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";

test.use({ viewport: { width: 412, height: 915 } });

test("[PHONE]: facility staff sign in on the app's web build and see their fridges", async ({ page }) => {
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill("wrong-password");
  await page.getByTestId("sign-in-button").click();
  await expect(page.getByTestId("sign-in-error")).toContainText("email or password is not right");

  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();
  await expect(page.getByTestId("facility-name")).toContainText("Puskesmas Depok");
  await expect(page.getByTestId("fridge-card").first()).toBeVisible();
  await expect(page.getByTestId("fridge-temp").first()).toHaveText(/-?\d+\.\d °C/);

  await page.getByTestId("sign-out-button").click();
  await expect(page.getByTestId("sign-in-button")).toBeVisible();
});
