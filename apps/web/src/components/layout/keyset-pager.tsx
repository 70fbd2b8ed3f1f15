"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

/**
 * Keyset paging held in a component (the admin lists): the cursors of the pages before this one.
 * Next pushes the page's last cursor, Previous drops it; a new filter starts again at the first page.
 */
export function useKeysetPages() {
  const [cursors, setCursors] = useState<number[]>([]);
  return {
    cursor: cursors.at(-1),
    next: (cursor: number) => setCursors((previous) => [...previous, cursor]),
    previous: () => setCursors((previous) => previous.slice(0, -1)),
    reset: () => setCursors([]),
    hasPrevious: cursors.length > 0,
  };
}

/** Previous and next buttons under a paged list. */
export function KeysetPager({
  pages,
  nextCursor,
}: {
  pages: ReturnType<typeof useKeysetPages>;
  nextCursor: number | null | undefined;
}) {
  const t = useTranslations("admin.pager");
  if (!pages.hasPrevious && nextCursor == null) return null;
  return (
    <nav aria-label={t("label")} className="admin-actions">
      <button type="button" onClick={pages.previous} disabled={!pages.hasPrevious}>
        {t("previous")}
      </button>
      <button type="button" onClick={() => nextCursor != null && pages.next(nextCursor)} disabled={nextCursor == null}>
        {t("next")}
      </button>
    </nav>
  );
}
