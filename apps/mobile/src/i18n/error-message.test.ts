import type { ErrorReason } from "@rantai/api";
import { mobileMessages } from "@rantai/ui/mobile-messages";
import { TRPCClientError } from "@trpc/client";
import { createTranslator } from "use-intl";
import { describe, expect, it } from "vitest";
import { type ErrorMessage, errorMessageOf } from "./error-message";

const apiUrl = "https://rantai.example";

function refusal(reason: ErrorReason, message: string) {
  return TRPCClientError.from({
    error: {
      code: -32009,
      message,
      data: {
        code: "CONFLICT",
        reason,
        httpStatus: 409,
        path: "stock.recordUsage",
        zodError: null,
        retryAfterSeconds: null,
      },
    },
  });
}

function inIndonesian(message: ErrorMessage): string {
  const t = createTranslator({ locale: "id", messages: mobileMessages.id });
  return "values" in message ? t(message.key, message.values) : t(message.key);
}

describe("the phone's words for a failure", () => {
  it("words a refusal by its reason from the catalog, not by the server's English message", () => {
    const message = errorMessageOf(refusal("stock.insufficient", "Only 4 doses are in stock"), apiUrl);
    expect(message).toEqual({ key: "errors.stock.insufficient" });
    expect(inIndonesian(message)).toBe(mobileMessages.id.errors.stock.insufficient);
    expect(inIndonesian(message)).not.toContain("doses");
  });

  it("says the server could not be reached when no answer came, and names a device failure", () => {
    const offline = errorMessageOf(TRPCClientError.from(new TypeError("Failed to fetch")), apiUrl);
    expect(inIndonesian(offline)).toBe(
      "Server Rantai di https://rantai.example tidak dapat dihubungi. Periksa koneksi Anda lalu coba lagi.",
    );
    expect(errorMessageOf(new Error("keystore locked"), apiUrl)).toEqual({
      key: "mobile.errors.device",
      values: { detail: "keystore locked" },
    });
    expect(errorMessageOf("thrown text", apiUrl)).toEqual({ key: "mobile.errors.unknown" });
  });
});
