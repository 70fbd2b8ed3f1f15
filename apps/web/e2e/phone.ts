// What every phone screen of the browser tests is held to (the web build at 360 px).
import { expect, type Page } from "@playwright/test";

/** Every button, tab and choice on screen is at least 48 × 48 px. */
export async function expectTouchTargets(page: Page) {
  const small = await page.locator('[role="button"], [role="tab"], [role="radio"]').evaluateAll((elements) =>
    elements
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 48 || box.height < 48))
      .map(
        ({ element, box }) =>
          `${element.getAttribute("data-testid") ?? element.textContent}: ${box.width}×${box.height}`,
      ),
  );
  expect(small).toEqual([]);
}

/** The longer Indonesian texts wrap instead of pushing the screen wider than the phone. */
export async function expectNoSidewaysScroll(page: Page) {
  const widest = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(widest).toBeLessThanOrEqual(360);
}
