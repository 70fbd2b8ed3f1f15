import { type Browser, expect, type Page, test } from "@playwright/test";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;
/** No other browser test signs in as this viewer, so its language switch (put back at the end) touches none. */
const viewerSleman = "viewer.sleman@demo.rantai.id";

// Each test walks a whole page (and a second sign-in) on a machine shared with other runs.
test.describe.configure({ timeout: 180_000 });

/** The page is no wider than the window: wide tables scroll inside their card, the page does not. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** A Bantul puskesmas (id and name), read from the Bantul officer's own facility table. */
async function bantulFacility(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInToConsole(page, demoAccounts.districtOfficerBantul);
  await page.goto(`${web}/facilities`);
  const link = page.getByTestId("facility-row").first().locator("th a");
  const href = (await link.getAttribute("href")) ?? "";
  const name = (await link.textContent()) ?? "";
  await context.close();
  const id = Number(/\/facilities\/(\d+)$/.exec(href)?.[1]);
  expect(id).toBeGreaterThan(0);
  expect(name.length).toBeGreaterThan(3);
  return { id, name };
}

test("[FACILITY]: opened from the table, a facility shows fridges with a chart zooming to a year, stock by lot, movements and alarms (screenshots)", async ({
  page,
}) => {
  await signInToConsole(page, viewerSleman);
  await page.getByRole("link", { name: "Fasilitas", exact: true }).click();
  const link = page.getByTestId("facility-row").first().locator("th a");
  const name = (await link.textContent()) ?? "";
  await link.click();
  await expect(page).toHaveURL(/\/facilities\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page).toHaveTitle("Fasilitas kesehatan · Rantai");

  // The fridge's chart: raw readings for 24 hours, daily rollups for a year, drawn by uPlot.
  const chart = page.getByTestId("temperature-chart").first();
  await expect(chart).toHaveAttribute("data-resolution", "raw");
  await expect(chart.locator("canvas")).toBeVisible();
  await expect(chart.getByRole("button", { name: "24 jam" })).toHaveAttribute("aria-pressed", "true");
  await chart.getByRole("button", { name: "1 tahun" }).click();
  await expect(chart).toHaveAttribute("data-resolution", "daily");
  await expect(chart.getByTestId("chart-resolution")).toHaveText(/Per hari/);
  await expect(chart.getByRole("button", { name: "1 tahun" })).toHaveAttribute("aria-pressed", "true");
  // Times on the facility's clock, the zone named.
  await expect(chart.locator("figcaption")).toContainText("WIB");

  // Stock by lot, movements (paged), consumption trend and alarm history, all in Bahasa Indonesia.
  await expect(page.getByTestId("stock-lot").first()).toBeVisible();
  await expect(page.getByTestId("ledger-entry").first()).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Tren pemakaian dan pemborosan" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Riwayat alarm" })).toBeVisible();
  const firstEntry = (await page.getByTestId("ledger-entry").first().textContent()) ?? "";
  await page.getByTestId("ledger-next").click();
  await expect(page.getByTestId("ledger-entry").first()).not.toHaveText(firstEntry);
  await page.getByRole("navigation", { name: "Halaman mutasi" }).getByRole("button", { name: "Sebelumnya" }).click();
  await expect(page.getByTestId("ledger-entry").first()).toHaveText(firstEntry);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/facility-id.png", fullPage: true });

  await page.setViewportSize({ width: 768, height: 1024 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "test-results/screens/facility-tablet-id.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // English, then back: the viewer's choice is stored on them.
  await page.getByLabel("Bahasa", { exact: true }).selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  try {
    await expect(page.getByRole("heading", { level: 2, name: "Stock by item and lot" })).toBeVisible();
    await page.getByTestId("temperature-chart").first().getByRole("button", { name: "1 year" }).click();
    await expect(page.getByTestId("temperature-chart").first()).toHaveAttribute("data-resolution", "daily");
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: "test-results/screens/facility-en.png", fullPage: true });
  } finally {
    await page.getByLabel("Language", { exact: true }).selectOption("id");
    await expect(page.locator("html")).toHaveAttribute("lang", "id");
  }
});

test("[FACILITY]: another district's facility by URL is the same not-found page as a random id, with nothing of it in the HTML or the API's answer", async ({
  page,
  browser,
}) => {
  const other = await bantulFacility(browser);
  await signInToConsole(page, demoAccounts.districtOfficerSleman);

  const response = await page.goto(`${web}/facilities/${other.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Halaman tidak ditemukan" })).toBeVisible();
  const html = (await response?.text()) ?? "";
  expect(html).not.toContain(other.name);
  const otherText = await page.locator("main").textContent();

  const random = await page.goto(`${web}/facilities/987654321`);
  expect(random?.status()).toBe(404);
  expect(await page.locator("main").textContent()).toBe(otherText);

  // The API refuses it the same way, whatever the id, and names nothing of it.
  const input = (facilityId: number) => encodeURIComponent(JSON.stringify({ 0: { json: { facilityId } } }));
  const refused = await page.request.get(`${web}/api/trpc/orgs.facility?batch=1&input=${input(other.id)}`);
  const unknown = await page.request.get(`${web}/api/trpc/orgs.facility?batch=1&input=${input(987_654_321)}`);
  expect(refused.status()).toBe(403);
  expect(unknown.status()).toBe(403);
  const refusedBody = await refused.text();
  expect(refusedBody).not.toContain(other.name);
  expect(JSON.parse(refusedBody)[0].error.json.message).toBe(JSON.parse(await unknown.text())[0].error.json.message);
});
