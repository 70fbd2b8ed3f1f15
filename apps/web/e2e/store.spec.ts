import { expect, type Page, test } from "@playwright/test";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;
/** The seed's viewer at Sleman's district office (packages/db/src/seed/users.ts). */
const viewerSleman = "viewer.sleman@demo.rantai.id";

async function openStore(page: Page) {
  await page.getByRole("link", { name: "Gudang kabupaten", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Gudang kabupaten" })).toBeVisible();
  await expect(page.getByTestId("store-item").first()).toBeVisible();
}

test("[STORE]: a viewer sees the district store, its incoming shipment and its min/max levels, with no action offered", async ({
  page,
}) => {
  await signInToConsole(page, viewerSleman);
  await openStore(page);
  await expect(page.getByTestId("incoming-shipment").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Terima" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Catat pergerakan" })).toHaveCount(0);
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/store-viewer-768-id.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole("link", { name: "Level min/maks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Level min/maks" })).toBeVisible();
  await expect(page.getByTestId("level-row").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Ubah", exact: false })).toHaveCount(0);
});

test("[STORE]: a district officer receives the province's shipment with a shortfall, discards, counts and sets a min/max level (screenshots)", async ({
  page,
}) => {
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await openStore(page);
  // Issues to the puskesmas give the district store months of stock: not every vaccine is "no usage yet".
  await expect(page.getByTestId("store-item").filter({ hasText: "Normal" }).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/store-id.png", fullPage: true });

  // Receive: the first batch arrived one vial short (40 vials were shipped).
  const shipment = page.getByTestId("incoming-shipment").first();
  await expect(shipment).toContainText("Daerah Istimewa Yogyakarta");
  await shipment.getByRole("button", { name: "Terima" }).click();
  const firstLine = page.getByTestId("receive-line").first();
  const received = firstLine.getByRole("spinbutton").first();
  const shipped = Number(await received.inputValue());
  expect(shipped).toBeGreaterThan(0);
  await received.fill(String(shipped - shipped / 40));
  await page.getByLabel("Catatan (selisih, kondisi saat tiba)").fill("Satu vial tidak ada di kotak");
  await page.getByRole("button", { name: "Konfirmasi penerimaan" }).click();
  await expect(page.getByTestId("receive-done")).toContainText("Kiriman diterima");
  await expect(page.getByTestId("receive-done")).toContainText("Kurang");
  await expect(page.getByText("Tidak ada kiriman yang sedang menuju gudang ini.")).toBeVisible();
  await expect(page.getByTestId("ledger-entry").first()).toContainText("Diterima");

  // Discard one vial of a batch, broken.
  const discard = page.getByRole("form", { name: "Pemusnahan" });
  const lotValue = await discard
    .locator("select")
    .first()
    .locator("option:not([disabled])")
    .first()
    .getAttribute("value");
  await discard
    .locator("select")
    .first()
    .selectOption(lotValue ?? "");
  await discard.getByLabel("Vial").fill("1");
  await discard.getByLabel("Alasan").selectOption("broken");
  await discard.getByRole("button", { name: "Catat pemusnahan" }).click();
  await expect(discard.getByTestId("movement-done")).toHaveText("Pemusnahan tercatat.");
  await expect(page.getByTestId("ledger-entry").first()).toContainText("Pemusnahan");

  // Count: one batch is a vial short of the record; the difference is posted.
  await page.getByRole("tab", { name: "Stok opname" }).click();
  const countLine = page.getByTestId("count-line").first();
  const counted = countLine.getByRole("spinbutton");
  const step = Number(await counted.getAttribute("step"));
  const onRecord = Number(await counted.inputValue());
  await counted.fill(String(onRecord - step));
  await page.getByRole("button", { name: "Simpan hasil opname" }).click();
  await expect(page.getByTestId("movement-done")).toHaveText("Opname tersimpan: 1 batch dikoreksi.");
  await expect(page.getByTestId("ledger-entry").first()).toContainText("Stok opname");

  // Min/max: the puskesmas of Sleman hold BCG for 1.5 to 2.5 months.
  await page.getByRole("link", { name: "Level min/maks" }).click();
  const puskesmas = page.getByTestId("level-settings").filter({ hasText: "Puskesmas" });
  await puskesmas.getByRole("button", { name: "Ubah min/maks BCG untuk Puskesmas" }).click();
  await page.getByLabel("Minimum (bulan): BCG, Puskesmas").fill("1.5");
  await page.getByLabel("Maksimum (bulan): BCG, Puskesmas").fill("2.5");
  await page.getByRole("button", { name: "Simpan" }).click();
  await expect(puskesmas.getByRole("status")).toContainText("Tersimpan untuk");
  const bcg = puskesmas.getByTestId("level-row").filter({ hasText: "BCG" }).first();
  await expect(bcg).toContainText("1,5");
  await expect(bcg).toContainText("2,5");
  await page.screenshot({ path: "test-results/screens/store-levels-id.png", fullPage: true });

  // Both pages in English, then the officer back in Bahasa Indonesia as seeded.
  await page.getByLabel("Bahasa", { exact: true }).selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: "Min/max levels" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/store-levels-en.png", fullPage: true });
  await page.goto(`${web}/store`);
  await expect(page.getByRole("heading", { level: 1, name: "District store" })).toBeVisible();
  await expect(page.getByTestId("store-item").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/store-en.png", fullPage: true });
  await page.getByLabel("Language", { exact: true }).selectOption("id");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
});
