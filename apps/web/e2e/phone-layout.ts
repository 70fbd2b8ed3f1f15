import { expect, type Page } from "@playwright/test";

/** Every button, tab, radio and link of the phone screen is at least 48 × 48 px. */
export async function expectPhoneTouchTargets(page: Page) {
  const small = await page
    .locator('[role="button"], [role="tab"], [role="radio"], [role="link"]')
    .evaluateAll((elements) =>
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

/** Long texts wrap instead of pushing the screen wider than a 360-px phone. */
export async function expectPhoneWidth(page: Page) {
  const widest = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(widest).toBeLessThanOrEqual(360);
}
