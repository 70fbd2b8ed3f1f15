/** "4.6 °C"; "—" when there is no reading. */
export function formatTemperature(tempC: number | null | undefined): string {
  if (tempC === null || tempC === undefined || !Number.isFinite(tempC)) return "—";
  return `${tempC.toFixed(1)} °C`;
}

/** "just now", "3 min ago", "2 h ago", "4 days ago": how old a reading is, for a glance. */
export function formatAge(at: Date | null | undefined, now: Date = new Date()): string {
  if (!at) return "no reading yet";
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export const temperatureStateLabels = {
  ok: "In range (+2…+8 °C)",
  warm: "Too warm (above +8 °C)",
  cold: "Too cold (below +2 °C)",
  unknown: "No reading",
} as const;
