"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useState } from "react";
import { type CursorPages, useCursorPages } from "./cursor-pager";
import { ListCard, type ListColumn } from "./list-card";
import { ScopePicker } from "./scope-picker";

/** An administration list's area (the user's own scope by default) and its pages; a new area starts at page one. */
export function useScopedPages() {
  const pages = useCursorPages();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  return {
    orgUnitId,
    pages,
    setOrgUnitId: (id: number | undefined) => {
      pages.reset();
      setOrgUnitId(id);
    },
  };
}
type ScopedPages = {
  orgUnitId: number | undefined;
  pages: CursorPages;
  setOrgUnitId: (id: number | undefined) => void;
};

/**
 * An administration list (facilities, fridges): a card with the area picker beside its heading,
 * a page of 50 rows and the pager. While the first page loads it holds most of a screen, so the
 * rows arriving do not push the page about.
 */
export function AdminListCard<Data extends { items: readonly unknown[]; nextCursor: number | null }>({
  id,
  heading,
  scoped,
  includeFacilities = false,
  query,
  messages,
  columns,
  children,
}: {
  id: string;
  heading: ReactNode;
  scoped: ScopedPages;
  includeFacilities?: boolean;
  query: { data: Data | undefined; error: unknown };
  messages: { loading: string; empty: string };
  columns: readonly ListColumn[];
  children: (items: Data["items"]) => ReactNode;
}) {
  const tScope = useTranslations("scope");
  const tPager = useTranslations("admin.pager");
  return (
    <ListCard
      id={id}
      heading={heading}
      tools={
        <ScopePicker
          value={scoped.orgUnitId}
          onChange={scoped.setOrgUnitId}
          label={tScope("area")}
          includeFacilities={includeFacilities}
        />
      }
      query={query}
      messages={{ ...messages, pages: tPager("label"), previous: tPager("previous"), next: tPager("next") }}
      reserve={ADMIN_LIST_RESERVE}
      columns={columns}
      pages={scoped.pages}
    >
      {children}
    </ListCard>
  );
}

/** What an administration list's loading line holds: about a screen of rows (a page is 50). */
export const ADMIN_LIST_RESERVE = "60vh";
