import type { RouterOutputs } from "@rantai/api";

export type Alarm = RouterOutputs["coldchain"]["alarms"]["list"]["items"][number];

export const alarmTypeLabels: Record<Alarm["type"], string> = {
  heat: "Heat: above +8 °C for 10 h",
  freeze: "Freeze: at or below −0.5 °C for 1 h",
  excursion: "Excursion: outside +2…+8 °C for 1 h",
  no_data: "No data from the sensor",
  low_battery: "Sensor battery low",
};

export const alarmStatusLabels: Record<Alarm["status"], string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
  retracted: "Retracted (late data disproved it)",
};

/** "3 h 20 min" */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export function formatExtreme(alarm: Alarm): string {
  if (alarm.unit === "batteryPct") return alarm.min === null ? "" : `battery ${alarm.min}%`;
  if (alarm.type === "freeze" || alarm.type === "excursion") {
    const parts = [
      alarm.min === null ? null : `min ${alarm.min.toFixed(1)} °C`,
      alarm.peak === null ? null : `peak ${alarm.peak.toFixed(1)} °C`,
    ];
    return parts.filter(Boolean).join(" · ");
  }
  return alarm.peak === null ? "" : `peak ${alarm.peak.toFixed(1)} °C`;
}
