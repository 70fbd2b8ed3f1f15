import { expect, type Page, test } from "@playwright/test";
import { demoAccounts, demoPassword, e2eEnv } from "./env";

const web = e2eEnv.E2E_WEB_URL;

/** What each language shows where the same thing is, so the test reads the page as its user would. */
const texts = {
  id: {
    email: "Email",
    password: "Kata sandi",
    signIn: "Masuk",
    signOut: "Keluar",
    language: "Bahasa",
    coldChain: "Rantai dingin",
    stock: "Stok vaksin",
    boardHeading: "Suhu lemari es",
    stockHeading: "Stok vaksin",
    notFound: "Halaman tidak ditemukan",
    role: "Petugas dinkes kabupaten/kota",
  },
  en: {
    email: "Email",
    password: "Password",
    signIn: "Sign in",
    signOut: "Sign out",
    language: "Language",
    coldChain: "Cold chain",
    stock: "Vaccine stock",
    boardHeading: "Fridge temperatures",
    stockHeading: "Vaccine stock",
    notFound: "Page not found",
    role: "District officer",
  },
} as const;
type Locale = keyof typeof texts;

async function signIn(page: Page, locale: Locale) {
  const t = texts[locale];
  await page.goto(`${web}/login`);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await page.getByLabel(t.email, { exact: true }).fill(demoAccounts.districtOfficerBantul);
  await page.getByLabel(t.password, { exact: true }).fill(demoPassword);
  await page.getByRole("button", { name: t.signIn, exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).not.toBeEmpty();
  // The console opens on the overview; these tests read the cold-chain board's temperatures. By
  // address, because the page now speaks the user's stored language, not necessarily the sign-in page's.
  await page.goto(`${web}/cold-chain`);
}

/** The board in one language: navigation, heading, role, title, the <html> language, numbers. */
async function expectBoardIn(page: Page, locale: Locale) {
  const t = texts[locale];
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await expect(page.getByRole("heading", { name: t.boardHeading })).toBeVisible();
  await expect(page.getByRole("link", { name: t.coldChain, exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: t.signOut, exact: true })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toContainText(t.role);
  await expect(page).toHaveTitle(`${t.coldChain} · Rantai`);
  // A temperature with the language's decimal separator: "4,6 °C" or "4.6 °C".
  const decimal = locale === "id" ? /^-?\d+,\d °C$/ : /^-?\d+\.\d °C$/;
  await expect(page.getByTestId("fridge-temperature").first()).toHaveText(decimal);
}

async function switchTo(page: Page, from: Locale, to: Locale) {
  await page.getByLabel(texts[from].language, { exact: true }).selectOption(to);
  await expect(page.locator("html")).toHaveAttribute("lang", to);
}

test("[LANGUAGE]: a user switches to English and back; the choice survives a reload and a new sign-in", async ({
  page,
}) => {
  await signIn(page, "id");
  await expectBoardIn(page, "id");

  await switchTo(page, "id", "en");
  await expectBoardIn(page, "en");
  await page.reload();
  await expectBoardIn(page, "en");
  await page.getByRole("link", { name: "Vaccine stock", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Vaccine stock" })).toBeVisible();
  await expect(page).toHaveTitle("Vaccine stock · Rantai");

  // Signed out, and with the browser's cookies gone: this Indonesian browser shows the sign-in
  // page in Bahasa Indonesia, and the user's stored choice brings English back on sign-in.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.context().clearCookies();
  await signIn(page, "id");
  await expectBoardIn(page, "en");

  await switchTo(page, "en", "id");
  await expectBoardIn(page, "id");
  await page.reload();
  await expectBoardIn(page, "id");
});

test("[LANGUAGE]: before sign-in, the browser's language decides, and the switch on the sign-in page", async ({
  browser,
}) => {
  const english = await browser.newContext({ locale: "en-US" });
  const page = await english.newPage();
  await page.goto(`${web}/login`);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page).toHaveTitle("Sign in · Rantai");

  await page.getByLabel("Language", { exact: true }).selectOption("id");
  await expect(page.getByRole("button", { name: "Masuk", exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: "Masuk", exact: true })).toBeVisible();
  await expect(page).toHaveTitle("Masuk · Rantai");

  // A wrong password is told in the page's language, from the error's reason.
  await page.getByLabel("Email", { exact: true }).fill(demoAccounts.districtOfficerBantul);
  await page.getByLabel("Kata sandi", { exact: true }).fill("wrong-password");
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(page.locator("form [role=alert]")).toContainText("Email atau kata sandi tidak tepat");
  await english.close();
});

test("[LANGUAGE]: every main page in both languages, with a title and a favicon (screenshots)", async ({ page }) => {
  const favicon = await page.request.get(`${web}/favicon.ico`);
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/icon/);

  for (const locale of ["id", "en"] as const) {
    const t = texts[locale];
    await page.context().clearCookies();
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: web }]);
    await page.goto(`${web}/login`);
    await expect(page.getByRole("button", { name: t.signIn, exact: true })).toBeVisible();
    await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /favicon\.ico|icon/);
    await page.screenshot({ path: `test-results/screens/login-${locale}.png`, fullPage: true });

    await signIn(page, locale);
    if (locale === "en") await switchTo(page, "id", "en");
    await expectBoardIn(page, locale);
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `test-results/screens/cold-chain-${locale}.png`, fullPage: true });

    await page.getByRole("link", { name: t.stock, exact: true }).click();
    await expect(page.getByRole("heading", { name: t.stockHeading })).toBeVisible();
    await expect(page.getByTestId("stock-row").first()).toBeVisible();
    await expect(page).toHaveTitle(`${t.stockHeading} · Rantai`);
    await page.screenshot({ path: `test-results/screens/stock-${locale}.png`, fullPage: true });

    const missing = await page.goto(`${web}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: t.notFound })).toBeVisible();
    await expect(page).toHaveTitle(`${t.notFound} · Rantai`);
    await page.screenshot({ path: `test-results/screens/not-found-${locale}.png`, fullPage: true });

    // Back to the board, and the user left in Bahasa Indonesia, as seeded.
    await page.goto(`${web}/`);
    if (locale === "en") await switchTo(page, "en", "id");
    await page.getByRole("button", { name: texts.id.signOut, exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
  }
});
