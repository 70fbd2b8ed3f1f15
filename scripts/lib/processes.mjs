// Runs long-lived child processes with prefixed output and stops them all together.
import { spawn } from "node:child_process";
import { root } from "./services.mjs";

const children = new Set();

export function startProcess(name, command, args, { env = {}, cwd = root, quiet = false } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.add(child);
  const prefix = `[${name}] `;
  const forward = (stream, target) => {
    let partial = "";
    stream.on("data", (chunk) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      if (!quiet) for (const line of lines) target.write(`${prefix}${line}\n`);
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (!stopping) console.error(`${prefix}exited (${signal ?? code})`);
  });
  return child;
}

let stopping = false;

/** Stops every child (and its process group) with SIGTERM, then SIGKILL after a grace period. */
export async function stopAll(graceMs = 10_000) {
  stopping = true;
  const waits = [...children].map(
    (child) =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {}
          resolve();
        }, graceMs).unref();
      }),
  );
  await Promise.all(waits);
}

export async function waitForHttp(url, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s (${lastError})`);
}
