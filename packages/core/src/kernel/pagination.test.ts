import { describe, expect, it } from "vitest";
import { keysetPage, ZSortCursorSchema } from "./pagination";

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

describe("keysetPage with a sort cursor", () => {
  const rows = [
    { id: 3, status: 0 },
    { id: 8, status: 0 },
    { id: 2, status: 1 },
  ];

  it("points the cursor at the last row kept, with its sort value and id", () => {
    const page = keysetPage(rows, 2, (row) => ({ key: row.status, id: row.id }));
    expect(page).toEqual({ items: rows.slice(0, 2), nextCursor: { key: 0, id: 8 } });
  });
});

describe("ZSortCursorSchema", () => {
  it("takes a number or a bounded string key with an id, and nothing else", () => {
    expect(ZSortCursorSchema.parse({ key: "Puskesmas Depok", id: 4 })).toEqual({ key: "Puskesmas Depok", id: 4 });
    expect(ZSortCursorSchema.safeParse({ key: 1.5, id: 4 }).success).toBe(false);
    expect(ZSortCursorSchema.safeParse({ key: "x".repeat(256), id: 4 }).success).toBe(false);
    expect(ZSortCursorSchema.safeParse({ key: 1, id: 4, extra: true }).success).toBe(false);
  });
});
