import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { defaultLocale, isLocale, locales, messages } from "./i18n";
import { mobileMessages } from "./mobile-messages";

type Catalog = { [key: string]: string | Catalog };

/** Every message of a catalog by its dotted key. */
function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") entries.set(path, value);
    else for (const [inner, message] of flatten(value, path)) entries.set(inner, message);
  }
  return entries;
}

const typeNames: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: "argument",
  [TYPE.number]: "number",
  [TYPE.date]: "date",
  [TYPE.time]: "time",
  [TYPE.select]: "select",
  [TYPE.plural]: "plural",
  [TYPE.tag]: "tag",
};

/** "name:kind" for every argument a message takes, nested ones (inside plural/select/tags) too. */
function argumentsOf(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    const kind = typeNames[element.type];
    if (kind && "value" in element && typeof element.value === "string") found.add(`${element.value}:${kind}`);
    if ("options" in element) for (const option of Object.values(element.options)) argumentsOf(option.value, found);
    if ("children" in element) argumentsOf(element.children, found);
  }
  return found;
}

const catalogs = Object.fromEntries(locales.map((locale) => [locale, flatten(messages[locale] as Catalog)]));

describe("the message catalog", () => {
  it("is Bahasa Indonesia first, with English beside it", () => {
    expect(locales).toEqual(["id", "en"]);
    expect(defaultLocale).toBe("id");
    expect(isLocale("en")).toBe(true);
    expect(isLocale("fr")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });

  it("has exactly the same keys in every language", () => {
    const [first, ...others] = locales.map((locale) => [...(catalogs[locale]?.keys() ?? [])].sort());
    expect(first?.length).toBeGreaterThan(100);
    for (const keys of others) expect(keys).toEqual(first);
  });

  it("has no empty message", () => {
    for (const locale of locales) {
      for (const [key, message] of catalogs[locale] ?? []) {
        expect(message.trim(), `${locale}: ${key}`).not.toBe("");
      }
    }
  });

  it("has ICU messages that parse, with the same arguments of the same kinds in every language", () => {
    const reference = catalogs[defaultLocale] ?? new Map<string, string>();
    for (const [key, message] of reference) {
      const expected = [...argumentsOf(parse(message))].sort();
      for (const locale of locales) {
        const translated = catalogs[locale]?.get(key) ?? "";
        const parsed = (() => {
          try {
            return parse(translated);
          } catch (error) {
            throw new Error(`${locale}: ${key} is not a valid ICU message: ${String(error)}`);
          }
        })();
        expect([...argumentsOf(parsed)].sort(), `${locale}: ${key}`).toEqual(expected);
      }
    }
  });

  it("gives every plural an `other` case, which every language needs", () => {
    for (const locale of locales) {
      for (const [key, message] of catalogs[locale] ?? []) {
        const walk = (elements: MessageFormatElement[]) => {
          for (const element of elements) {
            if (element.type === TYPE.plural)
              expect(Object.keys(element.options), `${locale}: ${key}`).toContain("other");
            if ("options" in element) for (const option of Object.values(element.options)) walk(option.value);
          }
        };
        walk(parse(message));
      }
    }
  });
});

describe("the phone's part of the catalog", () => {
  it("is the catalog's own messages, the phone's area in both languages with none empty", () => {
    for (const locale of locales) {
      const phone = flatten(mobileMessages[locale] as Catalog);
      const all = catalogs[locale] ?? new Map<string, string>();
      expect([...phone.keys()].filter((key) => key.startsWith("mobile.")).length).toBeGreaterThan(50);
      for (const [key, message] of phone) {
        expect(all.get(key), `${locale}: ${key}`).toBe(message);
        expect(message.trim(), `${locale}: ${key}`).not.toBe("");
      }
    }
  });
});
