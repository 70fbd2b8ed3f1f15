import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chown, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface FileOwner {
  uid: number;
  gid: number;
}

/** The file's text, or null when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Replaces a file so that a reader (the broker, on SIGHUP) sees the old or the new content,
 * never half of it: write a temporary file beside it, fsync, set owner and mode, rename over.
 */
export async function writeFileAtomic(path: string, content: string, mode: number, owner: FileOwner | null) {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", mode);
  try {
    await handle.writeFile(content, "utf8");
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (owner) await chown(temporary, owner.uid, owner.gid);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Who must be able to read the broker's files. Mosquitto started as root drops to the
 * `mosquitto` user before it reads password_file and acl_file (and again on SIGHUP), so files
 * written by root are handed to that user; otherwise the broker runs as us and we keep them.
 */
export function brokerFileOwner(
  uid: number | undefined = process.getuid?.(),
  passwd: () => string = () => readFileSync("/etc/passwd", "utf8"),
): FileOwner | null {
  if (uid !== 0) return null;
  let text: string;
  try {
    text = passwd();
  } catch {
    return null;
  }
  for (const line of text.split("\n")) {
    const [name, , userId, groupId] = line.split(":");
    if (name === "mosquitto" && userId && groupId) return { uid: Number(userId), gid: Number(groupId) };
  }
  return null;
}
