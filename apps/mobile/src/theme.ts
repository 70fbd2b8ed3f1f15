export type TemperatureState = 'ok' | 'warm' | 'cold' | 'unknown';

export const colors = {
  background: '#F4F6F8',
  surface: '#FFFFFF',
  text: '#111827',
  textMuted: '#4B5563',
  border: '#D1D5DB',
  primary: '#0F5C8C',
  primaryText: '#FFFFFF',
  danger: '#B91C1C',
  dangerSurface: '#FEF2F2',
  // Warm is red because heat exposure is the commonest way vaccines are lost;
  // cold is blue but equally an alarm (freeze-sensitive vaccines).
  temperature: {
    ok: '#15803D',
    warm: '#B91C1C',
    cold: '#1D4ED8',
    unknown: '#6B7280',
  } satisfies Record<TemperatureState, string>,
} as const;

export const spacing = { xs: 4, sm: 8, md: 12, lg: 16, xl: 24 } as const;

export const radius = { sm: 6, md: 10 } as const;

export const fontSize = { sm: 13, md: 15, lg: 18, xl: 22, temp: 40 } as const;
