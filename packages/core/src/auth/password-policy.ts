import { z } from "zod";

/**
 * Passwords that appear at the top of every leaked-password list (and the demo password), with
 * local variants; an administrator setting one of these would hand the account to the first
 * guess. Compared case-insensitively.
 */
const commonPasswords = new Set([
  "12345678",
  "123456789",
  "1234567890",
  "11111111",
  "00000000",
  "87654321",
  "password",
  "password1",
  "password123",
  "passw0rd",
  "qwerty123",
  "qwertyuiop",
  "iloveyou",
  "sunshine",
  "princess",
  "football",
  "baseball",
  "welcome1",
  "admin123",
  "administrator",
  "letmein123",
  "abcd1234",
  "1q2w3e4r",
  "1qaz2wsx",
  "indonesia",
  "indonesia1",
  "jakarta123",
  "bismillah",
  "sayang123",
  "rahasia123",
  "puskesmas",
  "dinkes123",
  "vaksin123",
  "rantai123",
  "rantai-demo-2026",
]);

/** A new password: 8–256 characters, not all whitespace, not a commonly used one. */
export const ZNewPasswordSchema = z
  .string()
  .min(8, { error: "must be at least 8 characters" })
  .max(256, { error: "must be at most 256 characters" })
  .refine((value) => value.trim().length >= 8, { error: "must have at least 8 characters besides spaces" })
  .refine((value) => !commonPasswords.has(value.toLowerCase()), {
    error: "is one of the most commonly used passwords; choose one that is harder to guess",
  });
