import { expect, test } from "@playwright/test";
import { demoDeviceSecret } from "@rantai/db/seed";
import mqtt from "mqtt";
import { demoAccounts, demoPassword, e2eEnv } from "./env";

test("[CONSOLE]: a district officer sees only their district and a temperature published over MQTT, without reloading", async ({
  page,
}) => {
  await page.goto(`${e2eEnv.E2E_WEB_URL}/`);
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel("Email").fill(demoAccounts.districtOfficerSleman);
  await page.getByLabel("Kata sandi").fill("wrong-password");
  await page.getByRole("button", { name: "Masuk" }).click();
  // The refusal's reason, translated: not the server's English message.
  await expect(page.locator("form [role=alert]")).toHaveText(
    "Email atau kata sandi tidak tepat. Periksa keduanya lalu coba lagi.",
  );

  await page.getByLabel("Kata sandi").fill(demoPassword);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Kabupaten Sleman");
  // The console opens on the overview; the cold-chain board has its own page.
  await expect(page).toHaveURL(/\/overview/);
  await page.getByRole("link", { name: "Rantai dingin", exact: true }).click();

  // Sleman has 17 kecamatan, one puskesmas each; nothing from another district is listed.
  await expect(page.getByTestId("facility-count")).toHaveText("17");
  await expect(page.getByText("Puskesmas Depok", { exact: false }).first()).toBeVisible();
  await expect(page.getByText("Puskesmas Sewon", { exact: false })).toHaveCount(0);

  const row = page.getByTestId("fridge-row").first();
  const deviceId = await row.getAttribute("data-device-id");
  expect(deviceId).toBeTruthy();

  // A value the simulator never produces, so seeing it proves this reading went through.
  const tempC = 7.37;
  // The broker admits devices by credential only: username = deviceId, the seeded demo secret.
  const client = await mqtt.connectAsync(e2eEnv.MQTT_URL, {
    clientId: `e2e-sensor-${Date.now()}`,
    username: deviceId ?? "",
    password: demoDeviceSecret(deviceId ?? ""),
  });
  await client.publishAsync(
    `coldchain/v1/sensors/${deviceId}/readings`,
    JSON.stringify({ ts: new Date().toISOString(), tempC, batteryPct: 77 }),
    { qos: 1 },
  );
  await client.endAsync();

  const navigations: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  await expect(page.locator(`[data-device-id="${deviceId}"] [data-testid="fridge-temperature"]`)).toHaveText("7,4 °C");
  await expect(page.locator(`[data-device-id="${deviceId}"]`)).toContainText("baterai 77%");
  expect(navigations).toEqual([]);
});
