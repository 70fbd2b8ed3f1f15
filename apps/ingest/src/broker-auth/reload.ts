import { readFile } from "node:fs/promises";
import { readTextIfExists } from "./atomic-file";

export type ReloadOutcome = "reloaded" | "no_pid_file" | "not_running" | "not_mosquitto";

/**
 * Sends SIGHUP to the broker named by its pid file: Mosquitto then re-reads password_file and
 * acl_file and disconnects clients whose credentials no longer pass. The pid is checked to be a
 * live `mosquitto` process first, so a stale pid file never signals an unrelated process.
 */
export async function reloadBroker(
  pidFile: string,
  signal: (pid: number) => void = (pid) => process.kill(pid, "SIGHUP"),
): Promise<ReloadOutcome> {
  const text = await readTextIfExists(pidFile);
  const pid = Number(text?.trim());
  if (text === null || !Number.isInteger(pid) || pid <= 1) return "no_pid_file";
  let command: string;
  try {
    command = (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
  } catch {
    return "not_running";
  }
  if (command !== "mosquitto") return "not_mosquitto";
  signal(pid);
  return "reloaded";
}
