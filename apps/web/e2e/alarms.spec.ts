import { expect, test } from "@playwright/test";
import { demoDeviceSecret } from "@rantai/db/seed";
import mqtt from "mqtt";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

test("[ALARMS]: a freeze found in a logger's flushed buffer shows up with the stock at risk and is acknowledged", async ({
  page,
}) => {
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.goto(`${e2eEnv.E2E_WEB_URL}/cold-chain`);
  const row = page.getByTestId("fridge-row").nth(1);
  const deviceId = (await row.getAttribute("data-device-id")) ?? "";
  expect(deviceId).not.toBe("");

  // 70 minutes at −1.0 °C (freeze: at or below −0.5 °C for 60 min), then back in range, from a
  // logger's buffer sent six days late — before the seeded four days of history, so no seeded
  // in-range reading interrupts the run.
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - 6 * 24 * 3_600_000 - minutesAgo * 60_000).toISOString();
  const readings = [80, 70, 60, 50, 40, 30, 20, 10].map((minutesAgo) => ({ ts: at(minutesAgo), tempC: -1.0 }));
  readings.push({ ts: at(5), tempC: 4.2 });
  const client = await mqtt.connectAsync(e2eEnv.MQTT_URL, {
    clientId: `e2e-alarm-${now}`,
    username: deviceId,
    password: demoDeviceSecret(deviceId),
  });
  await client.publishAsync(`coldchain/v1/sensors/${deviceId}/readings`, JSON.stringify({ readings }), { qos: 1 });
  await client.endAsync();

  await page.getByLabel("termasuk yang selesai").check();
  const alarm = page.locator('[data-testid="alarm"][data-alarm-type="freeze"]').first();
  await expect(alarm).toBeVisible({ timeout: 20_000 });
  await expect(alarm).toContainText("1 jam 10 menit");
  await expect(alarm).toContainText("min -1,0 °C");
  await expect(alarm).toContainText("perlu ditanggapi");
  await expect(alarm).toContainText("dilaporkan terlambat");
  // When it started, on the Yogyakarta facility's clock, zone named: "sejak 6 Des 2026, 03.12 WIB".
  await expect(alarm).toContainText(/sejak \d{1,2} \p{L}{3} \d{4},? \d{2}\.\d{2} WIB/u);

  await alarm.getByRole("button").first().click();
  await expect(alarm.getByTestId("stock-at-risk")).toContainText("peka beku");
  await alarm.getByLabel("Apa yang Anda periksa atau lakukan? (wajib)").fill("Thermostat was set too cold; reset it.");
  await alarm.getByRole("button", { name: "Tanggapi", exact: true }).click();
  await expect(alarm).toContainText("Thermostat was set too cold; reset it.");
});
