"use client";

import { useTranslations } from "next-intl";

/** Letters and digits that cannot be mistaken for one another when read out or copied by hand. */
const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random 14-character password from the browser's cryptographic generator. */
export function generatePassword(length = 14): string {
  const values = new Uint32Array(length);
  crypto.getRandomValues(values);
  return Array.from(values, (value) => alphabet[value % alphabet.length]).join("");
}

/**
 * The password an administrator gives a user: typed or generated, shown in clear so it can be
 * passed on in person. It is sent once, stored only as a hash, and never shown again.
 */
export function PasswordField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const t = useTranslations("admin.users");
  return (
    <span style={{ display: "inline-flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
      <input
        id={id}
        type="text"
        autoComplete="new-password"
        spellCheck={false}
        required
        minLength={8}
        maxLength={256}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={`${id}-hint`}
      />
      <button type="button" onClick={() => onChange(generatePassword())}>
        {t("generate")}
      </button>
      <span id={`${id}-hint`} className="muted">
        {t("passwordHint")}
      </span>
    </span>
  );
}
