"use client";

import { useState } from "react";

/**
 * Keyset paging held in a component: the cursors of the pages before this one ("previous" drops
 * the last; a new filter starts again at the first page). The API's list procedures take
 * `cursor` and answer `nextCursor`.
 */
export function useCursorPages() {
  const [after, setAfter] = useState<number[]>([]);
  return {
    cursor: after.at(-1),
    hasPrevious: after.length > 0,
    previous: () => setAfter((list) => list.slice(0, -1)),
    next: (cursor: number) => setAfter((list) => [...list, cursor]),
    reset: () => setAfter([]),
  };
}
export type CursorPages = ReturnType<typeof useCursorPages>;

/** "Previous" and "next" under a paged list; nothing when it fits on one page. */
export function CursorPager({
  pages,
  nextCursor,
  labels,
  testId,
}: {
  pages: CursorPages;
  nextCursor: number | null | undefined;
  labels: { pages: string; previous: string; next: string };
  testId?: string;
}) {
  if (!pages.hasPrevious && (nextCursor === null || nextCursor === undefined)) return null;
  return (
    <nav className="pager" aria-label={labels.pages}>
      <button type="button" disabled={!pages.hasPrevious} onClick={pages.previous}>
        {labels.previous}
      </button>{" "}
      <button
        type="button"
        disabled={nextCursor === null || nextCursor === undefined}
        onClick={() => {
          if (nextCursor !== null && nextCursor !== undefined) pages.next(nextCursor);
        }}
        data-testid={testId ? `${testId}-next` : undefined}
      >
        {labels.next}
      </button>
    </nav>
  );
}
