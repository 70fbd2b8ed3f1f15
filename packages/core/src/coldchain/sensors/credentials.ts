import { randomBytes } from "node:crypto";
import { hashSecret } from "@rantai/db/passwords";
import { hashBrokerPassword } from "./broker-password";

/**
 * A device's credential: a random secret shown once, stored only as hashes. The Argon2id hash
 * (`credential_hash`) is Rantai's own record; the PBKDF2 hash (`broker_password_hash`) is what
 * the broker checks at MQTT CONNECT (username = device id).
 */
export interface IssuedCredential {
  secret: string;
  credentialHash: string;
  brokerPasswordHash: string;
}

/** 24 random bytes as base64url: 32 characters, 192 bits, safe in any MQTT client's config. */
export function generateDeviceSecret(): string {
  return randomBytes(24).toString("base64url");
}

export async function issueCredential(): Promise<IssuedCredential> {
  const secret = generateDeviceSecret();
  const [credentialHash, brokerPasswordHash] = await Promise.all([hashSecret(secret), hashBrokerPassword(secret)]);
  return { secret, credentialHash, brokerPasswordHash };
}

/**
 * Broker user names that belong to services, never to devices: the password file holds
 * devices and service accounts side by side, so a device must not be able to take a
 * service's name (and with it the service's ACL).
 */
export function isReservedBrokerUsername(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "ingest" || lower.startsWith("ingest-") || lower.startsWith("svc-");
}

/**
 * Why a device id cannot be a broker user name, or null. DEVICE_ID_PATTERN already keeps out
 * MQTT wildcards and "/"; ":" separates user and hash in Mosquitto's password file.
 */
export function describeUnusableBrokerUsername(deviceId: string): string | null {
  if (deviceId.includes(":")) {
    return `Device id ${deviceId} contains ":", which the broker's password file cannot hold. Choose an id with letters, digits, ".", "_" or "-".`;
  }
  if (isReservedBrokerUsername(deviceId)) {
    return `Device id ${deviceId} is reserved for Rantai's own services (ingest…, svc-…). Choose another id.`;
  }
  return null;
}
