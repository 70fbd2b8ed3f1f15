import { errorReasons } from "@rantai/core/kernel";
import { locales, messages } from "@rantai/ui/i18n";
import { describe, expect, it } from "vitest";

/** The message at a dotted key ("errors.auth.rate_limited"), or undefined. */
function messageAt(catalog: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) return undefined;
    return (node as Record<string, unknown>)[part];
  }, catalog);
}

describe("error reasons in the catalog", () => {
  it("has a message for every reason AppError may carry, in every language", () => {
    const reasons = Object.keys(errorReasons);
    expect(reasons).toContain("scope.forbidden");
    const missing = locales.flatMap((locale) =>
      reasons
        .filter((reason) => {
          const message = messageAt(messages[locale], `errors.${reason}`);
          return typeof message !== "string" || message.trim() === "";
        })
        .map((reason) => `${locale}: errors.${reason}`),
    );
    expect(missing).toEqual([]);
  });
});
