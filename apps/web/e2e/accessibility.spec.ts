import { expect, type Locator, type Page, test } from "@playwright/test";
import { cumulativeLayoutShift, expectNoSeriousAccessibilityViolations, expectNoSidewaysScroll } from "./accessibility";
import { demoAccounts, e2eEnv } from "./env";
import { signInToConsole } from "./sign-in";

const web = e2eEnv.E2E_WEB_URL;

/** Each main page and what shows it has loaded its data (not only its loading state). */
/**
 * `shiftUnchecked`: a page whose sections load one below another and still push each other down
 * while loading (measured 0.2-0.6 at 768 px); axe and the tablet width are checked on it, its
 * layout shift is not yet bounded.
 */
const mainPages: {
  name: string;
  path: string;
  loaded: (page: Page) => Locator;
  streams?: boolean;
  shiftUnchecked?: boolean;
}[] = [
  { name: "cold chain", path: "/cold-chain", loaded: (page) => page.getByTestId("fridge-row").first() },
  // The inbox keeps its live stream open, so the network never goes idle there.
  { name: "alarms", path: "/alarms", loaded: (page) => page.getByTestId("alarm").first(), streams: true },
  { name: "distribution", path: "/distribution", loaded: (page) => page.getByTestId("request-list") },
  { name: "store", path: "/store", loaded: (page) => page.getByTestId("store-item").first() },
  { name: "reports", path: "/reports", loaded: (page) => page.getByTestId("report-table") },
  { name: "administration", path: "/admin", loaded: (page) => page.getByTestId("user-row").first() },
  { name: "overview", path: "/overview", loaded: (page) => page.getByTestId("overview-child").first() },
  { name: "facilities", path: "/facilities", loaded: (page) => page.getByTestId("facility-row").first() },
  { name: "stock", path: "/stock", loaded: (page) => page.getByTestId("stock-row").first() },
];

/**
 * Web Vitals' "good" cumulative layout shift: at most 0.1. Measured at 768 px: facilities about
 * 0.03 and stock about 0.04 (their loading states reserve less space than the table); the other
 * pages near 0.
 */
const MAX_LAYOUT_SHIFT = 0.1;

test("[A11Y]: the sign-in page has no serious accessibility violation, and fits a 768-px tablet", async ({ page }) => {
  await page.goto(`${web}/login`);
  await expect(page.getByRole("button", { name: "Masuk" })).toBeVisible();
  await expectNoSeriousAccessibilityViolations(page);
  expect(await cumulativeLayoutShift(page)).toBeLessThanOrEqual(MAX_LAYOUT_SHIFT);
  await page.setViewportSize({ width: 768, height: 1024 });
  await expectNoSidewaysScroll(page);
  await expectNoSeriousAccessibilityViolations(page);
});

for (const { name, path, loaded, streams, shiftUnchecked } of mainPages) {
  test(`[A11Y]: the ${name} page loads without layout shift and has no serious accessibility violation, on a desktop and a 768-px tablet`, async ({
    page,
  }) => {
    await signInToConsole(page, demoAccounts.districtOfficerSleman);
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 768, height: 1024 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto(`${web}${path}`);
      await expect(loaded(page)).toBeVisible();
      if (streams) await page.waitForTimeout(1_000);
      else await page.waitForLoadState("networkidle");
      if (!shiftUnchecked) {
        expect(await cumulativeLayoutShift(page), `layout shift at ${viewport.width} px`).toBeLessThanOrEqual(
          MAX_LAYOUT_SHIFT,
        );
      }
      await expectNoSidewaysScroll(page);
      await expectNoSeriousAccessibilityViolations(page);
    }
  });
}
