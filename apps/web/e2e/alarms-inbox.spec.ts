import { expect, type Page, test } from "@playwright/test";
import { demoDeviceSecret } from "@rantai/db/seed";
import mqtt from "mqtt";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;

/** Waits until the inbox's server stream is listening: from then on nothing raised is missed. */
async function expectLive(page: Page) {
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "connected");
}

test("[ALARMS]: a district officer's inbox shows a freeze the moment ingest raises it, and it is acknowledged with a note", async ({
  page,
}) => {
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  // The console opens on the overview.
  await expect(page).toHaveURL(/\/overview/);

  // A Sleman fridge to publish from, read off the cold-chain board.
  await page.getByRole("link", { name: "Rantai dingin", exact: true }).click();
  const row = page.getByTestId("fridge-row").nth(3);
  const deviceId = (await row.getAttribute("data-device-id")) ?? "";
  expect(deviceId).not.toBe("");

  await page.getByRole("link", { name: "Alarm", exact: true }).click();
  await expect(page).toHaveURL(/\/alarms/);
  await expect(page).toHaveTitle("Alarm · Rantai");
  await expectLive(page);
  // The seeded week went through the alarm engine: the Depok power cut is a live HEAT alarm.
  await expect(page.locator('[data-testid="alarm"][data-alarm-type="heat"]').first()).toBeVisible();

  // Freezes of every status: none in Sleman yet.
  await page.getByLabel("Jenis").selectOption("freeze");
  await page.getByLabel("Tampilkan").selectOption("all");
  await expect(page).toHaveURL(/type=freeze/);
  await expect(page.getByTestId("no-alarms")).toBeVisible();
  await expectLive(page);

  // 70 minutes at −1.0 °C (FREEZE: at or below −0.5 °C for 60 min) from a logger's buffer sent
  // five days late, before the seeded history, so no seeded in-range reading interrupts the run.
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - 5 * 24 * 3_600_000 - minutesAgo * 60_000).toISOString();
  const readings = [80, 70, 60, 50, 40, 30, 20, 10].map((minutesAgo) => ({ ts: at(minutesAgo), tempC: -1.0 }));
  readings.push({ ts: at(5), tempC: 4.4 });
  const client = await mqtt.connectAsync(e2eEnv.MQTT_URL, {
    clientId: `e2e-inbox-${now}`,
    username: deviceId,
    password: demoDeviceSecret(deviceId),
  });
  await client.publishAsync(`coldchain/v1/sensors/${deviceId}/readings`, JSON.stringify({ readings }), { qos: 1 });
  await client.endAsync();

  // Pushed by the server: no reload, and well within the 30 s the inbox would otherwise never poll in.
  const alarm = page.locator('[data-testid="alarm"][data-alarm-type="freeze"]').first();
  await expect(alarm).toBeVisible({ timeout: 10_000 });
  await expect(alarm).toContainText("perlu ditanggapi");
  await page.screenshot({ path: "test-results/screens/alarms-id.png", fullPage: true });

  await alarm.getByRole("button").first().click();
  await expect(alarm.getByTestId("stock-at-risk")).toContainText("peka beku");
  await alarm.getByLabel("Apa yang Anda periksa atau lakukan? (wajib)").fill("Thermostat knob was turned; reset to 4.");
  await alarm.getByRole("button", { name: "Tanggapi", exact: true }).click();
  await expect(alarm).toContainText("Thermostat knob was turned; reset to 4.");
  await expect(alarm).not.toContainText("perlu ditanggapi");

  // Given to someone to see to: the officer takes it on.
  const assignee = alarm.getByLabel("Yang menangani");
  const officer = assignee.locator("option", { hasText: "Kabupaten Sleman" }).first();
  await assignee.selectOption((await officer.getAttribute("value")) ?? "");
  await alarm.getByRole("button", { name: "Tugaskan", exact: true }).click();
  await expect(alarm).toContainText("Ditugaskan kepada");
});

test("[ALARMS]: the overview's open-alarms-by-age figure opens the inbox filtered to that age", async ({ page }) => {
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.goto(`${web}/overview`);
  const figure = page.locator('section[aria-labelledby="overview-alarms"] [data-testid="figure-alarms-under_1_day"]');
  await expect(figure).toBeVisible();
  await figure.click();
  await expect(page).toHaveURL(/\/alarms\?unit=\d+&age=under_1_day/);
  await expect(page.getByLabel("Dimulai")).toHaveValue("under_1_day");
  // The Depok power cut started 13 h before the seed ended.
  await expect(page.locator('[data-testid="alarm"][data-alarm-type="heat"]').first()).toBeVisible();
});

test("[ALARMS]: the inbox in English, with the seeded freeze and no-data history (screenshot)", async ({ page }) => {
  // Bantul's account is the one the language tests switch; it is switched back at the end.
  await signInToConsole(page, demoAccounts.districtOfficerBantul);
  await page.getByLabel("Bahasa", { exact: true }).selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto(`${web}/alarms?status=all`);
  await expect(page).toHaveTitle("Alarms · Rantai");
  await expectLive(page);
  await expect(page.getByTestId("live-status")).toHaveText("Live: new alarms appear here by themselves.");
  // Sewon's thermostat freeze (three days ago) and Srandakan's silent sensor (still open).
  await expect(page.locator('[data-testid="alarm"][data-alarm-type="freeze"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="alarm"][data-alarm-type="no_data"]').first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/alarms-en.png", fullPage: true });
  await page.getByLabel("Language", { exact: true }).selectOption("id");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
});

test("[ALARMS]: a viewer sees the inbox and an alarm's stock at risk, with no action offered", async ({ page }) => {
  await signInToConsole(page, "viewer.sleman@demo.rantai.id");
  await page.goto(`${web}/alarms?status=all`);
  const alarm = page.locator('[data-testid="alarm"][data-alarm-type="heat"]').first();
  await alarm.getByRole("button").first().click();
  await expect(alarm.getByRole("heading", { name: "Stok yang terancam di fasilitas ini" })).toBeVisible();
  await expect(alarm.getByRole("button", { name: "Tanggapi", exact: true })).toHaveCount(0);
  await expect(alarm.getByRole("button", { name: "Tugaskan", exact: true })).toHaveCount(0);
});
