/** Readings older than this are shown as stale: the sensor may be offline. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export function formatTemperature(tempC: number): string {
  return `${tempC.toFixed(1)} °C`;
}

export function isStale(ts: Date, now: number): boolean {
  return now - ts.getTime() > STALE_AFTER_MS;
}

export function formatAge(ts: Date, now: number): string {
  // Clamp so a sensor clock slightly ahead of the phone never shows "-1 min".
  const minutes = Math.max(0, Math.floor((now - ts.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
