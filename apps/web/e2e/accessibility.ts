import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The WCAG 2.1 A and AA rules axe-core checks (contrast, labels, names, landmarks, ARIA). */
const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * The page as it is now has no serious or critical accessibility violation by axe-core's WCAG
 * 2.1 A/AA rules. Failures list each rule with the elements it found, so the fix is visible in
 * the test output. Call it once the page's content has loaded (a loading state is checked too
 * when called earlier, which is allowed but says less).
 */
export async function expectNoSeriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      elements: violation.nodes.slice(0, 5).map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`),
    }));
  expect(serious, `accessibility violations on ${page.url()}`).toEqual([]);
}

/**
 * The page's cumulative layout shift since it started loading (shifts right after user input do
 * not count), read from the browser's own layout-shift entries once the page has settled.
 */
export async function cumulativeLayoutShift(page: Page, settleMs = 1000): Promise<number> {
  return page.evaluate(
    (settle) =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) total += entry.value;
          }
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(total), settle);
      }),
    settleMs,
  );
}

/** The page is no wider than the window: wide tables scroll inside their card, the page does not. */
export async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
