/**
 * Which phone app versions the server still serves. Versions are semantic versions
 * (`MAJOR.MINOR.PATCH`, optionally `-prerelease`); build metadata (`+...`) is ignored, as semver
 * says. Pure: the server answers the phone's question with it, and the phone may use it offline.
 */
import { z } from "zod";

/** Digits without leading zeros; bounded so a number never loses precision. */
const numericPart = "(0|[1-9]\\d{0,8})";
const identifier = "[0-9A-Za-z-]+";
const semverPattern = new RegExp(
  `^${numericPart}\\.${numericPart}\\.${numericPart}(?:-(${identifier}(?:\\.${identifier})*))?(?:\\+${identifier}(?:\\.${identifier})*)?$`,
);

/** A semantic version as sent by the phone or configured on the server, e.g. "1.2.10". */
export const ZAppVersionSchema = z
  .string()
  .trim()
  .max(64, { error: "must be at most 64 characters" })
  .regex(semverPattern, { error: "must be a version like 1.2.3" });

interface ParsedVersion {
  core: [number, number, number];
  prerelease: string[];
}

function parseVersion(version: string): ParsedVersion {
  const match = semverPattern.exec(version.trim());
  if (!match) throw new Error(`not a semantic version: ${version}`);
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split(".") : [],
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  // Numeric identifiers sort before alphanumeric ones; alphanumeric ones in ASCII order.
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1 as `a` is older than, the same as or newer than `b`, by semver precedence. */
export function compareAppVersions(a: string, b: string): -1 | 0 | 1 {
  const left = parseVersion(a);
  const right = parseVersion(b);
  for (let index = 0; index < 3; index += 1) {
    const difference = Math.sign((left.core[index] ?? 0) - (right.core[index] ?? 0));
    if (difference !== 0) return difference as -1 | 1;
  }
  // A prerelease comes before its release: 1.3.0-beta.1 < 1.3.0.
  if (left.prerelease.length === 0 || right.prerelease.length === 0) {
    return left.prerelease.length === right.prerelease.length ? 0 : left.prerelease.length === 0 ? 1 : -1;
  }
  const shared = Math.min(left.prerelease.length, right.prerelease.length);
  for (let index = 0; index < shared; index += 1) {
    const difference = compareIdentifiers(left.prerelease[index] ?? "", right.prerelease[index] ?? "");
    if (difference !== 0) return difference as -1 | 1;
  }
  return Math.sign(left.prerelease.length - right.prerelease.length) as -1 | 0 | 1;
}

/**
 * Whether an app of `version` may still be used when the server requires `minimumVersion`: the
 * same or newer is supported. By semver precedence a prerelease of the minimum (1.3.0-beta.1
 * against 1.3.0) is older and so refused — a test build must not outlive the release it led to.
 */
export function isAppVersionSupported(version: string, minimumVersion: string): boolean {
  return compareAppVersions(version, minimumVersion) >= 0;
}

export interface AppCompatibility {
  supported: boolean;
  minimumVersion: string;
}

/** The server's answer to "may this version of the app still be used?". */
export function appCompatibility(version: string, minimumVersion: string): AppCompatibility {
  return { supported: isAppVersionSupported(version, minimumVersion), minimumVersion };
}
