/** The lists of the distribution page, named in its URL (`?view=`). */
export const distributionViews = ["requests", "approved", "drafts", "transit", "received"] as const;
export type DistributionView = (typeof distributionViews)[number];

export function parseView(value: string | null): DistributionView {
  return distributionViews.find((view) => view === value) ?? "requests";
}

/** What each list shows: the store's incoming requests in a status, or its outgoing shipments in one. */
export const viewQueries = {
  requests: { kind: "requests", status: "submitted" },
  approved: { kind: "requests", status: "approved" },
  drafts: { kind: "shipments", status: "draft" },
  transit: { kind: "shipments", status: "dispatched" },
  received: { kind: "shipments", status: "received" },
} as const satisfies Record<DistributionView, { kind: "requests" | "shipments"; status: string }>;
