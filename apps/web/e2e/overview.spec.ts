import { expect, type Page, test } from "@playwright/test";
import { expectNoSidewaysScroll } from "./accessibility";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;

/** "1.234" (id) or "1,234" (en) as a number. */
const countOf = (text: string) => Number(text.replace(/[.,\s]/g, ""));

/** The facility table's row headers, in order: name, code and district of each facility. */
const rowNames = (page: Page) => page.getByTestId("facility-row").locator("th").allInnerTexts();

test("[ORGS]: a district officer follows an overview figure to the filtered facility table, sorts and pages", async ({
  page,
}) => {
  await signInToConsole(page, demoAccounts.districtOfficerSleman);
  await page.getByRole("link", { name: "Ringkasan", exact: true }).click();
  await expect(page).toHaveTitle("Ringkasan · Rantai");
  await expect(page.getByRole("heading", { level: 1, name: /^Ringkasan / })).toBeVisible();
  // The drill-down: one row per puskesmas of the district, with the same figures.
  const children = page.getByTestId("overview-child");
  await expect(children.first()).toBeVisible();
  const facilityCount = await children.count();
  expect(facilityCount).toBeGreaterThan(10);
  await expect(page.getByText(`Dihitung atas ${facilityCount} fasilitas`)).toBeVisible();

  // The first stock figure that counts any facility, and the list behind it.
  let chosen: { href: string; value: number } | undefined;
  for (const figure of await page.locator('section[aria-labelledby="overview-stock"] a.figure').all()) {
    const value = countOf((await figure.locator(".figure-value").textContent()) ?? "");
    if (value > 0) {
      chosen = { href: (await figure.getAttribute("href")) ?? "", value };
      await figure.click();
      break;
    }
  }
  if (!chosen) throw new Error("the demo district shows no facility behind any figure");
  const status = new URL(chosen.href, web).searchParams.get("status") ?? "";
  expect(status).not.toBe("");
  await expect(page).toHaveURL(new RegExp(`/facilities\\?.*status=${status}`));
  await expect(page).toHaveTitle("Fasilitas · Rantai");
  await expect(page.getByLabel("Tampilkan", { exact: true })).toHaveValue(status);
  // The figure and its list agree: the overview's count is the table's total.
  await expect(page.getByTestId("facility-count")).toHaveText(
    `1–${Math.min(chosen.value, 25)} dari ${chosen.value} fasilitas`,
  );
  await expect(page.getByTestId("facility-row")).toHaveCount(Math.min(chosen.value, 25));

  // Every facility of the district on one page, by name.
  await page.getByRole("button", { name: "Hapus saringan" }).click();
  await expect(page.getByTestId("facility-count")).toHaveText(`1–${facilityCount} dari ${facilityCount} fasilitas`);
  await page.getByLabel("Per halaman", { exact: true }).selectOption("100");
  await expect(page.getByTestId("facility-row")).toHaveCount(facilityCount);
  const byName = await rowNames(page);
  // Months of stock per antigen, in Indonesian decimals ("BCG 1,5"), from the refreshed consumption rates.
  await expect(
    page
      .getByTestId("months-of-stock")
      .filter({ hasText: /^\S+ \d+,\d / })
      .first(),
  ).toBeVisible();

  // Sorted by name the other way: the same facilities, reversed.
  await page.getByTestId("sort-name").click();
  await expect(page.locator("th[aria-sort=descending]")).toHaveCount(1);
  await expect.poll(() => rowNames(page)).toEqual([...byName].reverse());
  await expect(page).toHaveURL(/dir=desc/);

  // Ten a page: the second page continues where the first stopped, and survives a reload.
  const reversed = [...byName].reverse();
  await page.getByLabel("Per halaman", { exact: true }).selectOption("10");
  await expect.poll(() => rowNames(page)).toEqual(reversed.slice(0, 10));
  await page.getByTestId("next-page").click();
  await expect(page.getByTestId("page-number")).toHaveText("Halaman 2");
  await expect.poll(() => rowNames(page)).toEqual(reversed.slice(10, 20));
  await expect(page.getByTestId("facility-count")).toHaveText(
    `11–${Math.min(20, facilityCount)} dari ${facilityCount} fasilitas`,
  );
  await page.reload();
  await expect.poll(() => rowNames(page)).toEqual(reversed.slice(10, 20));
  await page.getByTestId("previous-page").click();
  await expect.poll(() => rowNames(page)).toEqual(reversed.slice(0, 10));

  // Searching narrows the table to what matches, from the first page.
  const [firstName = ""] = (reversed[0] ?? "").split("\n");
  await page.getByLabel("Cari nama atau kode", { exact: true }).fill(firstName);
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId("facility-row").first()).toContainText(firstName);
  await expect(page.locator("p.error")).toHaveCount(0);
});

test("[ORGS]: a province officer drills down province → district → facility; both pages in both languages (screenshots)", async ({
  page,
}) => {
  await signInToConsole(page, "provinsi.diy@demo.rantai.id");
  await page.goto(`${web}/overview`);
  await expect(page.getByRole("heading", { level: 2, name: "Rincian per kabupaten/kota" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/overview-id.png", fullPage: true });

  // Province → district: the district's puskesmas, and the way back up.
  const district = page.getByTestId("overview-child").first().locator("th a");
  const districtName = (await district.textContent()) ?? "";
  await district.click();
  await expect(page.getByRole("heading", { level: 1, name: `Ringkasan ${districtName}` })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Rincian per fasilitas" })).toBeVisible();
  // District → facility: its own figures.
  const facility = page.getByTestId("overview-child").first().locator("th a");
  const facilityName = (await facility.textContent()) ?? "";
  await facility.click();
  await expect(page.getByRole("heading", { level: 1, name: `Ringkasan ${facilityName}` })).toBeVisible();
  const trail = page.getByRole("navigation", { name: "Jenjang wilayah" });
  await trail.getByRole("link", { name: districtName }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Ringkasan ${districtName}` })).toBeVisible();

  await page.getByRole("link", { name: "Fasilitas", exact: true }).click();
  await expect(page.getByTestId("facility-row").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/facilities-id.png", fullPage: true });

  // A 768-px tablet: the pages fit; wide tables scroll inside their card.
  await page.setViewportSize({ width: 768, height: 1024 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "test-results/screens/facilities-tablet-id.png", fullPage: true });
  await page.goto(`${web}/overview`);
  await expect(page.getByTestId("overview-child").first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.setViewportSize({ width: 1280, height: 720 });

  // English, stored on the user; set back to Bahasa Indonesia for the tests after this one.
  await page.getByLabel("Bahasa", { exact: true }).selectOption("en");
  await expect(page.getByRole("heading", { level: 2, name: "By district" })).toBeVisible();
  await expect(page).toHaveTitle("Overview · Rantai");
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/overview-en.png", fullPage: true });
  await page.getByRole("link", { name: "Facilities", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Facilities" })).toBeVisible();
  await expect(page.getByTestId("facility-count")).toHaveText(/^1–25 of \d+ facilities$/);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: "test-results/screens/facilities-en.png", fullPage: true });
  await page.getByLabel("Language", { exact: true }).selectOption("id");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
});
