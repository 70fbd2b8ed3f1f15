import { expect, type Locator, type Page, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";
import { expectNoSidewaysScroll, expectTouchTargets } from "./phone";
import { signInToConsole } from "./sign-in";

// A modest Android phone; the browser is Indonesian (playwright.config), as the device would be.
test.use({ viewport: { width: 360, height: 740 } });

const screens = "test-results/screens";

test("[PHONE]: staff open a fridge in alarm, see its chart and alarm history, acknowledge the alarm offline and the console shows it", async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.goto(e2eEnv.E2E_MOBILE_URL);
  await page.getByTestId("email-input").fill(demoAccounts.facilityStaffSleman);
  await page.getByTestId("password-input").fill(demoPassword);
  await page.getByTestId("sign-in-button").click();

  // The seeded Depok fridge has been above +8 °C since a power cut 13 hours ago.
  await page.getByTestId("nav-fridges").click();
  const warm = page.getByTestId("fridge-card").filter({ hasText: "Terlalu hangat" }).first();
  await warm.click();
  await expect(page.getByTestId("fridge-detail-state")).toHaveText("Terlalu hangat (di atas +8 °C)");
  await expect(page.getByTestId("fridge-data-age")).toContainText("Data lemari es diperbarui");

  // The last 24 hours: the extremes and the time outside the band, in words beside the picture.
  await expect(page.getByTestId("fridge-chart").locator("svg")).toBeVisible();
  const summary = page.getByTestId("chart-summary");
  await expect(summary).toContainText(/Terendah \d+,\d °C .* tertinggi 1\d,\d °C/);
  await expect(summary).toContainText("Di luar +2…+8 °C selama sekitar");
  await expect(page.getByTestId("fridge-chart")).toHaveAttribute("aria-label", (await summary.textContent()) ?? "");
  await expect(page.getByTestId("chart-age")).toContainText("Grafik diperbarui");

  // The history: the open heat alarm, its duration and peak, and the door left ajar two days ago.
  const heat = alarmItem(page, "Panas");
  await expect(heat.getByTestId("alarm-status")).toHaveText("Terbuka");
  await expect(heat).toContainText(/Masih berlangsung selama \d+ jam/);
  await expect(heat).toContainText(/puncak 1\d,\d °C/);
  await expect(page.getByTestId("alarm-history-item").filter({ hasText: "Selesai" }).first()).toBeVisible();
  await expectTouchTargets(page);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${screens}/phone-fridge-id.png`, fullPage: true });

  // Offline, a period never fetched says so instead of spinning; back online it is drawn.
  await context.setOffline(true);
  await page.getByTestId("chart-range-7d").click();
  await expect(page.getByTestId("chart-nothing")).toContainText("Luring, dan belum ada grafik periode ini");
  await context.setOffline(false);
  await expect(summary).toContainText("Terendah");
  await expect(page.getByTestId("chart-age")).toContainText("Grafik diperbarui");

  // Acknowledged offline with the action taken: shown at once, sent when the connection returns.
  await context.setOffline(true);
  await heat.getByTestId("acknowledge-open").click();
  await heat.getByTestId("acknowledge-submit").click();
  await expect(heat.getByRole("alert")).toHaveText("Pilih apa yang Anda lakukan.");
  await heat.getByTestId("acknowledge-other").click();
  await heat.getByTestId("acknowledge-submit").click();
  await expect(heat.getByRole("alert")).toHaveText("Tuliskan apa yang Anda lakukan.");
  await heat.getByTestId("acknowledge-called_technician").click();
  await heat.getByTestId("acknowledge-note").fill("Teknisi datang sore ini");
  await expectTouchTargets(page);
  await page.screenshot({ path: `${screens}/phone-fridge-acknowledge-id.png`, fullPage: true });
  await heat.getByTestId("acknowledge-submit").click();
  await expect(heat.getByTestId("alarm-status")).toHaveText("Sudah ditanggapi");
  await expect(heat.getByTestId("alarm-acknowledgement")).toContainText(
    "“Menghubungi teknisi: Teknisi datang sore ini”",
  );
  await expect(heat.getByTestId("alarm-pending")).toBeVisible();
  await expect(heat.getByTestId("acknowledge-open")).toHaveCount(0);
  await context.setOffline(false);
  // Sent at once; the pull after the push (another round of it, if one was already under way)
  // brings the server's own acknowledgement back.
  await expect(heat.getByTestId("alarm-pending")).toHaveCount(0, { timeout: 20_000 });
  await expect(heat.getByTestId("alarm-status")).toHaveText("Sudah ditanggapi");

  // The district's console inbox shows it acknowledged, with what was done.
  const consoleContext = await browser.newContext({
    locale: "id-ID",
    timezoneId: "Asia/Jakarta",
    viewport: { width: 1280, height: 800 },
  });
  const consolePage = await consoleContext.newPage();
  await signInToConsole(consolePage, demoAccounts.districtOfficerSleman);
  await consolePage.goto(`${e2eEnv.E2E_WEB_URL}/alarms?status=all&type=heat`);
  const inboxAlarm = consolePage
    .locator('[data-testid="alarm"][data-alarm-type="heat"]')
    .filter({ hasText: "Puskesmas Depok" })
    .first();
  await expect(inboxAlarm).toContainText("Sudah ditanggapi");
  await expect(inboxAlarm).not.toContainText("perlu ditanggapi");
  await inboxAlarm.getByRole("button").first().click();
  await expect(inboxAlarm).toContainText("Ditanggapi oleh Petugas Puskesmas Depok");
  await expect(inboxAlarm).toContainText("“Menghubungi teknisi: Teknisi datang sore ini”");
  await consolePage.screenshot({ path: `${screens}/console-alarm-acknowledged-from-phone-id.png` });
  await consoleContext.close();

  // In English: the same screen, after switching the app's language (switched back at the end).
  await page.getByTestId("fridge-back").click();
  await page.getByTestId("language-en").click();
  await expect(page.getByTestId("language-en")).toHaveAttribute("aria-checked", "true");
  try {
    await page.getByTestId("fridge-card").filter({ hasText: "Too warm" }).first().click();
    await expect(page.getByTestId("chart-summary")).toContainText(/Lowest \d+\.\d °C/);
    await expect(alarmItem(page, "Heat").getByTestId("alarm-acknowledgement")).toContainText("Acknowledged");
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `${screens}/phone-fridge-en.png`, fullPage: true });
    await page.getByTestId("fridge-back").click();
  } finally {
    await page.getByTestId("language-id").click();
    await expect(page.getByTestId("language-id")).toHaveAttribute("aria-checked", "true");
  }
});

function alarmItem(page: Page, typeText: string): Locator {
  return page.getByTestId("alarm-history-item").filter({ hasText: typeText }).first();
}
