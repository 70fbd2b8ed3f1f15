import type { ReactNode } from "react";

/**
 * A wide table's box: it scrolls sideways on a narrow screen (a 768-px tablet), and it is
 * focusable, so a keyboard can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableScroll({ card = false, children }: { card?: boolean; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <div className={card ? "card table-scroll" : "table-scroll"} tabIndex={0}>
      {children}
    </div>
  );
}
