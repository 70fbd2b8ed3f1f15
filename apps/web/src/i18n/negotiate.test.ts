import { describe, expect, it } from "vitest";
import { fromAcceptLanguage, resolveLocale } from "./negotiate";

describe("fromAcceptLanguage", () => {
  it.each([
    ["id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id"],
    ["en-US,en;q=0.9", "en"],
    ["en-GB", "en"],
    ["fr-FR,en;q=0.5,id;q=0.9", "id"],
    ["fr-FR,de;q=0.9", "id"],
    ["", "id"],
    ["*", "id"],
    ["@@@, ;;;q=x", "id"],
  ])("%j gives %s", (header, locale) => {
    expect(fromAcceptLanguage(header)).toBe(locale);
  });

  it("defaults to Bahasa Indonesia without a header, and survives a huge one", () => {
    expect(fromAcceptLanguage(null)).toBe("id");
    expect(fromAcceptLanguage(`${"xx-YY,".repeat(10_000)}en`)).toBe("id");
  });
});

describe("resolveLocale", () => {
  it("puts the user's stored choice first, then the cookie, then the browser", () => {
    expect(resolveLocale({ userLocale: "en", cookie: "id", acceptLanguage: "id" })).toBe("en");
    expect(resolveLocale({ userLocale: "id", cookie: "en", acceptLanguage: "en" })).toBe("id");
    expect(resolveLocale({ cookie: "en", acceptLanguage: "id" })).toBe("en");
    expect(resolveLocale({ cookie: "fr", acceptLanguage: "en-US" })).toBe("en");
    expect(resolveLocale({})).toBe("id");
  });
});
