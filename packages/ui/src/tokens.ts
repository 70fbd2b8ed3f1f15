/**
 * Design tokens shared by the console (CSS variables) and the phone app (style objects).
 * Temperature colours follow the fridge-tag convention: green in range, red warm, blue cold.
 */
export const colors = {
  ink: "#1b2430",
  inkMuted: "#5b6675",
  surface: "#ffffff",
  canvas: "#f3f5f8",
  border: "#d9dee5",
  brand: "#0f6e5c",
  brandInk: "#ffffff",
  // 5:1 and more on okSoft and on white: small text stays readable (WCAG AA asks 4.5:1).
  ok: "#176b30",
  okSoft: "#e6f4ea",
  warm: "#c62828",
  warmSoft: "#fdecea",
  cold: "#1565c0",
  coldSoft: "#e3eefb",
  // 6.6:1 on unknownSoft: readable as small text too (WCAG AA asks 4.5:1).
  unknown: "#4b5563",
  unknownSoft: "#eef0f3",
  danger: "#b42318",
} as const;

export const space = { xs: 4, sm: 8, md: 12, lg: 16, xl: 24, xxl: 32 } as const;
export const radius = { sm: 6, md: 10, lg: 16 } as const;
export const fontSize = { sm: 13, md: 15, lg: 18, xl: 24, display: 36 } as const;

export type TemperatureTone = "ok" | "warm" | "cold" | "unknown";

export const temperatureToneColors: Record<TemperatureTone, { fg: string; bg: string }> = {
  ok: { fg: colors.ok, bg: colors.okSoft },
  warm: { fg: colors.warm, bg: colors.warmSoft },
  cold: { fg: colors.cold, bg: colors.coldSoft },
  unknown: { fg: colors.unknown, bg: colors.unknownSoft },
};
