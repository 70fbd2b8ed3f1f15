import { expect, type Page, test } from "@playwright/test";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;
const run = Date.now().toString(36);

/** Signs in through the form with any account and password (the form in Bahasa Indonesia). */
async function signInAs(page: Page, email: string, password: string) {
  await page.goto(`${web}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByTestId("signed-in-as")).not.toBeEmpty();
}

/** Chooses the first unit a unit field accepts (the others are shown but disabled). */
async function chooseFirstAllowedUnit(page: Page, field: string) {
  const option = page.locator(`#${field} option:not([disabled]):not([value=""])`).first();
  await page.locator(`#${field}`).selectOption((await option.getAttribute("value")) ?? "");
}

test("[ADMIN]: a district officer creates a user, who signs in; once disabled, their next request goes to sign-in", async ({
  page,
  browser,
}) => {
  // Two browsers, three sign-ins: more than one page's worth of time on a shared machine.
  test.setTimeout(150_000);
  const email = `petugas.${run}@demo.rantai.id`;
  const name = `Petugas Uji ${run}`;
  const password = `Uji-${run}-sandi-awal`;

  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.getByRole("link", { name: "Administrasi" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Pengguna baru" })).toBeVisible();
  await page.getByLabel("Nama lengkap").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Peran").selectOption("facility_staff");
  await chooseFirstAllowedUnit(page, "user-unit");
  await page.getByLabel("Kata sandi awal").fill(password);
  await page.getByRole("button", { name: "Buat pengguna" }).click();
  await expect(page.getByTestId("user-created")).toContainText(email);
  const row = page.getByTestId("user-row").filter({ hasText: email });
  await expect(row).toContainText("Petugas puskesmas");
  await expect(row.locator(".chip")).toHaveText("Aktif");
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/admin-users-id.png", fullPage: true });

  // The new user signs in in a browser of their own and works.
  const theirs = await browser.newContext({ locale: "id-ID", timezoneId: "Asia/Jakarta" });
  const them = await theirs.newPage();
  await signInAs(them, email, password);
  await them.goto(`${web}/stock`);
  await expect(them.getByRole("heading", { level: 2, name: "Stok vaksin" })).toBeVisible();

  // Disabled by the officer: their very next request is refused and their next page is sign-in.
  await row.getByRole("button", { name: `Nonaktifkan ${name}` }).click();
  await expect(row.locator(".chip")).toHaveText("Nonaktif");
  await expect(row.getByRole("button", { name: `Aktifkan ${name}` })).toBeVisible();
  const api = await them.request.get(`${web}/api/trpc/auth.me`);
  expect(api.status()).toBe(401);
  await them.goto(`${web}/overview`);
  await expect(them).toHaveURL(/\/login\?ended=1$/);
  await expect(them.getByTestId("session-ended")).toContainText("Sesi Anda telah berakhir");
  await expect(them.getByTestId("signed-in-as")).toHaveCount(0);
  // And they cannot sign in again.
  await them.getByLabel("Email").fill(email);
  await them.getByLabel("Kata sandi").fill(password);
  await them.getByRole("button", { name: "Masuk" }).click();
  await expect(them.getByRole("alert").filter({ hasText: "Email atau kata sandi tidak tepat" })).toBeVisible();
  await theirs.close();
});

test("[ADMIN]: an officer registers a sensor and sees its credential once", async ({ page }) => {
  const deviceId = `RTS-E2E-${run}`.toUpperCase();
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.goto(`${web}/admin/fridges`);
  const fridge = page.getByTestId("fridge-row").first();
  await fridge.getByRole("button", { name: /^Sensor dan alarm / }).click();
  await expect(page.getByRole("heading", { level: 3, name: "Ambang alarm" })).toBeVisible();
  await expect(page.getByTestId("alarm-rule-row")).toHaveCount(5);

  await page.getByLabel("ID perangkat").fill(deviceId);
  await page.getByRole("button", { name: "Daftarkan sensor" }).click();
  const credential = page.getByTestId("sensor-credential");
  await expect(credential).toContainText("Hanya ditampilkan sekali ini");
  await expect(page.getByTestId("credential-username")).toHaveText(deviceId);
  const secret = (await page.getByTestId("credential-password").textContent()) ?? "";
  expect(secret.length).toBeGreaterThanOrEqual(16);
  await expect(page.getByTestId("sensor-row").filter({ hasText: deviceId }).locator(".chip")).toHaveText("Aktif");
  await page.screenshot({ path: "test-results/screens/admin-fridges-id.png", fullPage: true });

  // Dismissed or reloaded, the secret is gone for good: not in the page, not in what the API sends.
  await credential.getByRole("button", { name: "Sudah saya salin" }).click();
  await expect(credential).toHaveCount(0);
  const responses: string[] = [];
  page.on("response", async (response) => {
    if (response.url().includes("/api/trpc/")) responses.push(await response.text());
  });
  await page.reload();
  await page
    .getByTestId("fridge-row")
    .first()
    .getByRole("button", { name: /^Sensor dan alarm / })
    .click();
  const sensorRow = page.getByTestId("sensor-row").filter({ hasText: deviceId });
  await expect(sensorRow).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await page.content()).not.toContain(secret);
  expect(responses.join("\n")).not.toContain(secret);

  // Disabled: the sensor stays listed, marked disabled.
  await sensorRow.getByRole("button", { name: "Nonaktifkan" }).click();
  await expect(sensorRow.locator(".chip")).toHaveText("Nonaktif");
  await expect(sensorRow.getByRole("button", { name: "Aktifkan" })).toBeVisible();
});

test("[ADMIN]: a viewer sees the administration pages with no action offered", async ({ page }) => {
  await signInToConsole(page, "viewer.sleman@demo.rantai.id");
  await page.goto(`${web}/admin`);
  await expect(page.getByTestId("users-read-only")).toBeVisible();
  // The users of the viewer's district are listed, with nothing to change them by.
  await expect(page.getByTestId("user-row").filter({ hasText: "pkm.depok@demo.rantai.id" })).toBeVisible();
  await expect(page.getByTestId("user-row").filter({ hasText: "dinkes.bantul@demo.rantai.id" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Buat pengguna" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Nonaktifkan|Aktifkan|Ubah peran|Atur ulang kata sandi/ })).toHaveCount(
    0,
  );
  // The read-only page on a tablet.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/admin-users-viewer-768-id.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${web}/admin/facilities`);
  await expect(page.getByTestId("facility-row").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Fasilitas baru" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Ubah/ })).toHaveCount(0);
  await page.goto(`${web}/admin/fridges`);
  await page
    .getByTestId("fridge-row")
    .first()
    .getByRole("button", { name: /^Sensor dan alarm / })
    .click();
  await expect(page.getByTestId("alarm-rule-row")).toHaveCount(5);
  await expect(page.getByRole("button", { name: /Daftar|Ubah|Nonaktifkan|Ganti/ })).toHaveCount(0);
});

test("[ADMIN]: the administration pages in both languages (screenshots)", async ({ page }) => {
  // Five full-page screenshots, two of long lists: more than one page's worth of time on a shared machine.
  test.setTimeout(180_000);
  await signInToConsole(page, "provinsi.diy@demo.rantai.id");
  for (const [path, heading] of [
    ["/admin/facilities", "Fasilitas baru"],
    ["/admin/fridges", "Daftarkan lemari es"],
  ] as const) {
    await page.goto(`${web}${path}`);
    await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await page.screenshot({
      path: `test-results/screens/admin${path.slice(6).replace("/", "-")}-id.png`,
      fullPage: true,
    });
  }
  await expect(page).toHaveTitle("Administrasi · Rantai");

  // English, stored on the user; set back to Bahasa Indonesia for the tests after this one.
  await page.getByLabel("Bahasa", { exact: true }).selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  for (const [path, heading] of [
    ["/admin", "New user"],
    ["/admin/facilities", "New facility"],
    ["/admin/fridges", "Register a fridge"],
  ] as const) {
    await page.goto(`${web}${path}`);
    await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
    if (path === "/admin/fridges") {
      await page
        .getByTestId("fridge-row")
        .first()
        .getByRole("button", { name: /^Sensors and alarms of / })
        .click();
      await expect(page.getByRole("heading", { level: 3, name: "Alarm thresholds" })).toBeVisible();
    }
    await page.waitForLoadState("networkidle");
    const name = path === "/admin" ? "users" : path.slice(7);
    await page.screenshot({ path: `test-results/screens/admin-${name}-en.png`, fullPage: true });
  }
  await expect(page).toHaveTitle("Administration · Rantai");
  await page.getByLabel("Language", { exact: true }).selectOption("id");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
});
