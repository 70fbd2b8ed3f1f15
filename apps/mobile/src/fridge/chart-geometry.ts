import { type ChartSeries, gapMs } from "./chart-series";

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the temperature labels on the left and the time labels below. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface ChartGeometry {
  x: (at: number) => number;
  y: (tempC: number) => number;
  /** The storage band's rectangle. */
  band: { top: number; bottom: number };
  /** The average as one path, broken where the sensor was silent. */
  line: string;
  /** The rollups' min–max envelope as a closed path (empty for raw readings). */
  envelope: string;
  temperatureTicks: number[];
  timeTicks: number[];
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Time ticks at whole hours or days of the window, on the facility's clock offset (minutes east of UTC). */
function timeTicksOf(series: ChartSeries, offsetMinutes: number): number[] {
  const span = series.to - series.from;
  const step = span <= 2 * 86_400_000 ? 6 * 3_600_000 : 86_400_000;
  const offset = offsetMinutes * 60_000;
  const first = Math.ceil((series.from + offset) / step) * step - offset;
  const ticks: number[] = [];
  for (let at = first; at <= series.to; at += step) ticks.push(at);
  return ticks;
}

/**
 * Where everything of the chart goes in a box: the temperature axis covers the band with a
 * margin and every value of the window, the time axis the whole window (so a silent sensor
 * shows as empty space, not as a stretched line).
 */
export function chartGeometry(series: ChartSeries, box: ChartBox, offsetMinutes: number): ChartGeometry {
  const lows = series.minC ?? series.avgC;
  const highs = series.maxC ?? series.avgC;
  // Half a degree of room around the data, so a marked extreme is not cut by the edge.
  const lowest = Math.floor(Math.min(series.band.minC - 2, ...lows.map((tempC) => tempC - 0.5)));
  const highest = Math.ceil(Math.max(series.band.maxC + 2, ...highs.map((tempC) => tempC + 0.5)));
  const plotWidth = Math.max(1, box.width - box.left - box.right);
  const plotHeight = Math.max(1, box.height - box.top - box.bottom);
  const x = (at: number) => round(box.left + ((at - series.from) / (series.to - series.from)) * plotWidth);
  const y = (tempC: number) => round(box.top + ((highest - tempC) / (highest - lowest)) * plotHeight);

  const gap = gapMs(series);
  const segments: string[] = [];
  series.times.forEach((at, index) => {
    const tempC = series.avgC[index];
    if (tempC === undefined) return;
    const previous = series.times[index - 1];
    const joined = previous !== undefined && at - previous <= gap;
    segments.push(`${joined ? "L" : "M"}${x(at)} ${y(tempC)}`);
  });

  let envelope = "";
  if (series.minC && series.maxC && series.times.length > 0) {
    const top = series.times.map((at, index) => `${x(at)} ${y(series.maxC?.[index] ?? 0)}`);
    const bottom = series.times.map((at, index) => `${x(at)} ${y(series.minC?.[index] ?? 0)}`).reverse();
    envelope = `M${top.join(" L")} L${bottom.join(" L")} Z`;
  }

  const step = highest - lowest > 20 ? 10 : highest - lowest > 10 ? 4 : 2;
  const temperatureTicks: number[] = [];
  for (let tick = Math.ceil(lowest / step) * step; tick <= highest; tick += step) temperatureTicks.push(tick);

  return {
    x,
    y,
    band: { top: y(series.band.maxC), bottom: y(series.band.minC) },
    line: segments.join(" "),
    envelope,
    temperatureTicks,
    timeTicks: timeTicksOf(series, offsetMinutes),
  };
}
