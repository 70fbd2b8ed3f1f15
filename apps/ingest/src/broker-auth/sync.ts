import { hashBrokerPassword, verifyBrokerPassword } from "@rantai/core/coldchain/sensors";
import { type Executor, sensors } from "@rantai/db";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { brokerFileOwner, type FileOwner, readTextIfExists, writeFileAtomic } from "./atomic-file";
import { parsePasswordFile, renderAclFile, renderPasswordFile, type ServiceAccount } from "./files";

/** A service account as configured: a password (hashed here) or a ready `$7$` hash. */
export interface ServiceAccountConfig {
  username: string;
  password?: string | undefined;
  passwordHash?: string | undefined;
  read?: readonly string[];
  write?: readonly string[];
}

export interface SyncBrokerAuthOptions {
  passwordFile: string;
  aclFile: string;
  serviceAccounts: readonly ServiceAccountConfig[];
  /** Who must be able to read the files; default: the `mosquitto` user when running as root. */
  owner?: FileOwner | null;
}

export interface SyncBrokerAuthResult {
  /** Whether either file was rewritten (then the broker needs a SIGHUP). */
  changed: boolean;
  passwordFileChanged: boolean;
  aclFileChanged: boolean;
  /** Device accounts written. */
  devices: number;
  /** Active sensors left out, with the reason (no broker hash yet, or a name the file cannot hold). */
  skipped: { deviceId: string; reason: string }[];
}

/**
 * Writes the broker's password file (active sensors that have a broker hash, plus the service
 * accounts) and ACL file from the database, each atomically and only when its content changes.
 * Inactive sensors are simply absent, so the broker refuses them (and drops their connections)
 * after its next reload.
 */
export async function syncBrokerAuth(db: Executor, options: SyncBrokerAuthOptions): Promise<SyncBrokerAuthResult> {
  const rows = await db
    .select({ deviceId: sensors.deviceId, brokerPasswordHash: sensors.brokerPasswordHash })
    .from(sensors)
    .where(and(eq(sensors.active, true), isNotNull(sensors.brokerPasswordHash)))
    .orderBy(asc(sensors.deviceId));
  const [previousPasswords, previousAcl] = await Promise.all([
    readTextIfExists(options.passwordFile),
    readTextIfExists(options.aclFile),
  ]);
  const services = await resolveServiceAccounts(options.serviceAccounts, parsePasswordFile(previousPasswords ?? ""));
  const serviceNames = new Set(services.map((service) => service.username.toLowerCase()));

  const skipped: SyncBrokerAuthResult["skipped"] = [];
  const devices: { username: string; passwordHash: string }[] = [];
  for (const row of rows) {
    const reason = row.deviceId.includes(":")
      ? "':' cannot appear in a password-file user name"
      : serviceNames.has(row.deviceId.toLowerCase())
        ? "the name belongs to a service account"
        : row.brokerPasswordHash?.startsWith("$7$")
          ? null
          : "broker_password_hash is not a $7$ hash";
    if (reason) skipped.push({ deviceId: row.deviceId, reason });
    else devices.push({ username: row.deviceId, passwordHash: row.brokerPasswordHash ?? "" });
  }

  const passwords = renderPasswordFile([...services, ...devices]);
  const acl = renderAclFile(services);
  const owner = options.owner === undefined ? brokerFileOwner() : options.owner;
  // Readable by the broker only: by its user (chowned), or by us when it runs as us.
  const mode = owner !== null || process.getuid?.() !== 0 ? 0o600 : 0o644;
  const passwordFileChanged = passwords !== previousPasswords;
  const aclFileChanged = acl !== previousAcl;
  // ACL first: a new password file never goes live with a stale ACL.
  if (aclFileChanged) await writeFileAtomic(options.aclFile, acl, mode, owner);
  if (passwordFileChanged) await writeFileAtomic(options.passwordFile, passwords, mode, owner);
  return {
    changed: passwordFileChanged || aclFileChanged,
    passwordFileChanged,
    aclFileChanged,
    devices: devices.length,
    skipped,
  };
}

/**
 * Hashes configured service passwords, reusing the hash already in the file when it still
 * matches: a fresh salt every time would rewrite the file (and reload the broker) on every sync.
 */
async function resolveServiceAccounts(
  configs: readonly ServiceAccountConfig[],
  previous: ReadonlyMap<string, string>,
): Promise<ServiceAccount[]> {
  return Promise.all(
    configs.map(async (config) => {
      let passwordHash = config.passwordHash;
      if (passwordHash === undefined) {
        if (config.password === undefined) throw new Error(`service account ${config.username} has no password`);
        const existing = previous.get(config.username);
        passwordHash =
          existing && (await verifyBrokerPassword(existing, config.password))
            ? existing
            : await hashBrokerPassword(config.password);
      }
      return { username: config.username, passwordHash, read: config.read ?? [], write: config.write ?? [] };
    }),
  );
}
