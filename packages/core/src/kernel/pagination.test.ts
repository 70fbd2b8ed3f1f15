import { describe, expect, it } from "vitest";
import { keysetPage } from "./pagination";

describe("keysetPage", () => {
  const rows = [{ id: 9 }, { id: 7 }, { id: 4 }];

  it("keeps `limit` rows and points the cursor at the last one when a further row was fetched", () => {
    expect(keysetPage(rows, 2, (row) => row.id)).toEqual({ items: [{ id: 9 }, { id: 7 }], nextCursor: 7 });
  });

  it("has no next page when the query returned at most `limit` rows", () => {
    expect(keysetPage(rows, 3, (row) => row.id)).toEqual({ items: rows, nextCursor: null });
    expect(keysetPage([], 3, (row: { id: number }) => row.id)).toEqual({ items: [], nextCursor: null });
  });
});
