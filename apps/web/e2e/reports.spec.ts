import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;

/** "1.234" (id-ID) as a number. */
const idNumber = (text: string) => Number(text.replaceAll(".", "").replace(",", "."));

test("[REPORTS]: a district officer reads stock on hand, exports it as XLSX in the background and reads the file back (screenshots)", async ({
  page,
  browser,
}) => {
  // The export runs in the background worker; on a busy machine the whole walk takes minutes.
  test.setTimeout(240_000);
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.getByRole("link", { name: "Laporan", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Laporan" })).toBeVisible();
  await expect(page).toHaveTitle("Laporan · Rantai");
  const table = page.getByTestId("report-table");
  await expect(table.locator("tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("report-count")).toHaveText(/^\d+ baris$/);
  const firstRow = table.locator("tbody tr").first().locator("td");
  const facility = (await firstRow.nth(2).textContent()) ?? "";
  const vaccine = (await firstRow.nth(4).textContent()) ?? "";
  const stockOnHand = idNumber((await firstRow.nth(5).textContent()) ?? "");
  expect(facility).not.toBe("");

  // Exported in the background: the list shows it prepared, then offers the download.
  await page.getByRole("button", { name: "Ekspor Excel (XLSX)" }).click();
  const exported = page.getByTestId("report-exports").locator("li").first();
  await expect(exported).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    exported.getByRole("link", { name: "Unduh" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^rantai-stock-on-hand-\d{4}-\d{2}-\d{2}-\d+\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.getWorksheet("Stok tersedia");
  expect(sheet?.getRow(1).getCell(3).value).toBe("Fasilitas");
  expect(sheet?.getRow(1).getCell(6).value).toBe("Stok tersedia (dosis)");
  expect(sheet?.getRow(2).getCell(3).value).toBe(facility);
  expect(sheet?.getRow(2).getCell(5).value).toBe(vaccine);
  expect(sheet?.getRow(2).getCell(6).value).toBe(stockOnHand);
  const rowsOnScreen = Number(/^(\d+)/.exec((await page.getByTestId("report-count").textContent()) ?? "")?.[1]);
  expect(sheet?.rowCount).toBe(rowsOnScreen + 1);

  // Another officer asking for this file by its address gets what a random id gets.
  const href = (await exported.getByRole("link", { name: "Unduh" }).getAttribute("href")) ?? "";
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInToConsole(otherPage, demoAccounts.districtOfficerBantul);
  expect((await otherPage.request.get(`${web}${href}`)).status()).toBe(404);
  expect((await otherPage.request.get(`${web}/api/reports/exports/999999999`)).status()).toBe(404);
  await other.close();

  // The period report, and both languages.
  await page.getByTestId("report-picker").selectOption("temperature_excursions");
  await expect(page.getByLabel("Dari", { exact: true })).toBeVisible();
  await expect(table.locator("thead")).toContainText("Lemari es");

  // Consumption and wastage over the last 30 days from the ledger: the seeded week of usage gave doses.
  await page.getByTestId("report-picker").selectOption("consumption_wastage");
  await expect(table.locator("thead")).toContainText("Dosis diberikan");
  await expect(page.getByLabel("Baris per", { exact: true })).toBeVisible();
  const given = table.locator("tbody tr td:nth-child(6)");
  await expect(given.first()).toBeVisible();
  expect((await given.allTextContents()).map(idNumber).reduce((sum, doses) => sum + doses, 0)).toBeGreaterThan(0);
  // One vaccine only: every row is that vaccine.
  const vaccinePicker = page.getByTestId("report-item");
  await vaccinePicker.selectOption({ index: 1 });
  const vaccineName = ((await vaccinePicker.locator("option:checked").textContent()) ?? "").trim();
  const vaccineCells = table.locator("tbody tr td:nth-child(5)");
  await expect(vaccineCells.first()).toHaveText(vaccineName);
  await expect(table).toHaveAttribute("aria-busy", "false");
  expect(new Set(await vaccineCells.allTextContents())).toEqual(new Set([vaccineName]));
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/reports-consumption-id.png", fullPage: true });
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.screenshot({ path: "test-results/screens/reports-consumption-id-768.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The other new reports open with their own columns and rows.
  for (const [report, header] of [
    ["stock_out_days", "Hari kosong stok"],
    ["expiry", "Tanggal kedaluwarsa"],
    ["sensor_uptime", "Keaktifan (%)"],
  ] as const) {
    await page.getByTestId("report-picker").selectOption(report);
    await expect(table.locator("thead")).toContainText(header);
    await expect(table).toHaveAttribute("aria-busy", "false");
    await expect(table.locator("tbody tr").first()).toBeVisible();
    await page.screenshot({ path: `test-results/screens/reports-${report}-id.png`, fullPage: true });
  }

  await page.getByTestId("report-picker").selectOption("stock_status");
  await expect(table.locator("thead")).toContainText("Saran pesanan (dosis)");
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/reports-id.png", fullPage: true });
  await page.getByLabel("Bahasa", { exact: true }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Reports" })).toBeVisible();
  await expect(table.locator("thead")).toContainText("Suggested order (doses)");
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/reports-en.png", fullPage: true });
  await page.getByTestId("report-picker").selectOption("consumption_wastage");
  await expect(table.locator("thead")).toContainText("Doses given");
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/reports-consumption-en.png", fullPage: true });
  await page.getByLabel("Language", { exact: true }).selectOption("id");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
});
