import { describe, expect, it } from "vitest";
import { facilitiesInput, facilityQueryString, overviewLinkHref, parseFacilityQuery } from "./facility-query";

const parse = (query: string) => parseFacilityQuery(new URLSearchParams(query));

describe("facility table URL", () => {
  it("round-trips a searched, filtered, sorted third page", () => {
    const query = {
      unit: 9,
      search: "Depok & Co",
      status: "below_min" as const,
      sort: "months_of_stock" as const,
      direction: "desc" as const,
      item: 4,
      pageSize: 10,
      after: [
        { key: 12_500, id: 31 },
        { key: 800, id: 40 },
      ],
    };
    expect(parse(facilityQueryString(query).slice(1))).toEqual(query);
    expect(facilitiesInput(query)).toEqual({
      orgUnitId: 9,
      search: "Depok & Co",
      status: "below_min",
      sort: "months_of_stock",
      direction: "desc",
      itemId: 4,
      limit: 10,
      cursor: { key: 800, id: 40 },
    });
  });

  it("leaves defaults out of the URL and reads an empty one as the first page by name", () => {
    const first = parse("");
    expect(first).toEqual({ sort: "name", direction: "asc", pageSize: 25, after: [] });
    expect(facilityQueryString(first)).toBe("");
    expect(facilityQueryString({ ...first, after: [{ key: "Puskesmas Depok 1", id: 7 }] })).toBe(
      "?after=%5B%22Puskesmas+Depok+1%22%2C7%5D",
    );
  });

  it("drops what the API would refuse instead of sending it", () => {
    expect(
      parse("unit=-3&status=everything&sort=drop&dir=sideways&size=1000&item=x&q=%20%20&after=nonsense&after=[1,2]"),
    ).toEqual({ sort: "name", direction: "asc", pageSize: 25, after: [] });
    // Months of stock needs an antigen; a cursor must match the sort's key type.
    expect(parse("sort=months_of_stock").sort).toBe("name");
    expect(parse(`sort=last_sync&after=${encodeURIComponent('["a",1]')}`).after).toEqual([]);
    expect(parse(`q=${"x".repeat(300)}`).search).toHaveLength(100);
  });

  it("links each overview figure to the list behind it", () => {
    expect(overviewLinkHref({ list: "facilities", orgUnitId: 5, status: "stock_out" })).toBe(
      "/facilities?unit=5&status=stock_out",
    );
    expect(overviewLinkHref({ list: "alarms", orgUnitId: 5, status: "live", age: "over_7_days" })).toBe(
      "/alarms?unit=5&age=over_7_days",
    );
  });
});
