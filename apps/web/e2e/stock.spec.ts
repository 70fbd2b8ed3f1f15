import { expect, test } from "@playwright/test";
import { demoAccounts } from "./env";
import { signInToConsole } from "./sign-in";

test("[STOCK]: a district officer sees the district store's vaccines with months of stock, and a puskesmas's", async ({
  page,
}) => {
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.getByRole("link", { name: "Stok vaksin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Stok vaksin" })).toBeVisible();
  const rows = page.getByTestId("stock-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByText("BCG", { exact: false }).first()).toBeVisible();

  const depok = await page
    .locator("select[aria-label=Gudang] option", { hasText: "Puskesmas Depok" })
    .getAttribute("value");
  expect(depok).toBeTruthy();
  await page.getByLabel("Gudang").selectOption(depok ?? "");
  await expect(rows.first()).toBeVisible();
  await expect(page.locator("p.error")).toHaveCount(0);
});
