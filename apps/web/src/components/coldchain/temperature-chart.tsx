"use client";

import type { RouterOutputs } from "@rantai/api";
import { colors } from "@rantai/ui/tokens";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import "uplot/dist/uPlot.min.css";
import styles from "./temperature-chart.module.css";

type Series = RouterOutputs["coldchain"]["temperatureSeries"];

/** The preset windows, each ending now. */
export const chartRanges = ["24h", "7d", "30d", "1y"] as const;
export type ChartRange = (typeof chartRanges)[number];
const rangeMs: Record<ChartRange, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "1y": 365 * 86_400_000,
};
const noAlarms: readonly ChartAlarm[] = [];
/** The narrowest window a drag may zoom to: a few raw readings. */
const minZoomMs = 3_600_000;

/** An alarm drawn on the chart as a shaded span; one that has not ended reaches the window's end. */
export interface ChartAlarm {
  id: number;
  type: Series["alarms"][number]["type"];
  startedAt: Date;
  endedAt: Date | null;
}

export interface TemperatureChartProps {
  /** The fridge (equipment id). */
  fridgeId: number;
  initialRange: ChartRange;
  /** Alarms to draw; the fridge's own alarms in the window when omitted. */
  alarms?: readonly ChartAlarm[];
}

interface Window {
  from: Date;
  to: Date;
  /** The preset it came from; undefined once zoomed by dragging. */
  range?: ChartRange;
}

function presetWindow(range: ChartRange): Window {
  // Rounded to the minute, so a re-render asks the same query (and hits the cache).
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  return { from: new Date(to.getTime() - rangeMs[range]), to, range };
}

/**
 * One fridge's temperature over time: range buttons (24 h to a year) and drag-to-zoom, the
 * +2…+8 °C band and the alarms shaded, times on the facility's clock. The server picks raw
 * readings or hourly/daily min–avg–max rollups for the window; uPlot is loaded only here.
 */
export function TemperatureChart({ fridgeId, initialRange, alarms }: TemperatureChartProps) {
  const t = useTranslations("facility.chart");
  const tAlarms = useTranslations("alarms");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const [window, setWindow] = useState<Window>(() => presetWindow(initialRange));
  const series = useQuery(
    trpc.coldchain.temperatureSeries.queryOptions(
      { equipmentId: fridgeId, from: window.from, to: window.to },
      { placeholderData: keepPreviousData, staleTime: 60_000 },
    ),
  );
  const data = series.data;
  const drawnAlarms = useMemo(() => alarms ?? data?.alarms ?? noAlarms, [alarms, data]);
  const summaryId = useId();
  const clock = data ? { timeZone: data.timeZone, timeZoneAbbreviation: data.timeZoneAbbreviation } : undefined;

  const extremes = useMemo(() => {
    if (!data || data.times.length === 0) return null;
    return { min: Math.min(...(data.minC ?? data.avgC)), max: Math.max(...(data.maxC ?? data.avgC)) };
  }, [data]);

  return (
    <figure className={styles.chart} data-testid="temperature-chart" data-resolution={data?.resolution}>
      <div className={styles.toolbar}>
        <fieldset className={styles.ranges}>
          <legend className={styles.visuallyHidden}>{t("rangeLabel")}</legend>
          {chartRanges.map((range) => (
            <button
              key={range}
              type="button"
              aria-pressed={window.range === range}
              onClick={() => setWindow(presetWindow(range))}
            >
              {t(`ranges.${range}`)}
            </button>
          ))}
        </fieldset>
        <span className="muted" data-testid="chart-resolution">
          {data ? t(`resolution.${data.resolution}`) : t("loading")}
        </span>
      </div>
      <ChartCanvas
        series={data}
        alarms={drawnAlarms}
        describedBy={summaryId}
        onZoom={(from, to) => setWindow({ from, to })}
      />
      <figcaption id={summaryId} className="muted">
        {series.error
          ? errorMessage(series.error)
          : !data || !clock
            ? t("loading")
            : t("summary", {
                from: format.facilityTime(data.from, clock),
                to: format.facilityTime(data.to, clock),
                count: data.times.length,
                min: extremes ? format.decimal(extremes.min) : "—",
                max: extremes ? format.decimal(extremes.max) : "—",
                alarms: drawnAlarms.length,
              })}
        {data && drawnAlarms.length > 0 ? (
          <span className={styles.alarmList}>
            {drawnAlarms.map((alarm) => (
              <span key={alarm.id} className={`badge ${alarm.type === "freeze" ? "cold" : "warm"}`}>
                {tAlarms(`types.${alarm.type}`)}
                {clock ? ` · ${format.facilityTime(alarm.startedAt, clock)}` : ""}
              </span>
            ))}
          </span>
        ) : null}
        {window.range === undefined ? (
          <button type="button" className={styles.reset} onClick={() => setWindow(presetWindow(initialRange))}>
            {t("resetZoom")}
          </button>
        ) : null}
      </figcaption>
    </figure>
  );
}

const chartHeight = 240;

/** The uPlot canvas: created once uPlot has loaded, redrawn with each new series. */
function ChartCanvas({
  series,
  alarms,
  describedBy,
  onZoom,
}: {
  series: Series | undefined;
  alarms: readonly ChartAlarm[];
  describedBy: string;
  onZoom: (from: Date, to: Date) => void;
}) {
  const t = useTranslations("facility.chart");
  const locale = useLocale();
  const holder = useRef<HTMLDivElement>(null);
  const [plotLib, setPlotLib] = useState<typeof uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;

  useEffect(() => {
    let cancelled = false;
    void import("uplot").then((module) => {
      if (!cancelled) setPlotLib(() => module.default);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const element = holder.current;
    if (!plotLib || !element || !series) return;
    const labels = { min: t("min"), avg: t("avg"), max: t("max"), temperature: t("temperature") };
    const plot = new plotLib(
      chartOptions(plotLib, series, alarms, { locale, labels, width: element.clientWidth, onZoom: zoom }),
      chartData(series),
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: chartHeight }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [plotLib, series, alarms, locale, t]);

  return (
    <div
      ref={holder}
      className={styles.canvas}
      style={{ height: chartHeight }}
      role="img"
      aria-label={t("label")}
      aria-describedby={describedBy}
    />
  );
}

function chartData(series: Series): uPlot.AlignedData {
  return series.minC && series.maxC
    ? [series.times, series.minC, series.avgC, series.maxC]
    : [series.times, series.avgC];
}

/** The axes' time labels on the facility's clock, as detailed as the window needs. */
function timeLabel(locale: string, timeZone: string, spanMs: number) {
  const options: Intl.DateTimeFormatOptions =
    spanMs <= 2 * 86_400_000
      ? { hour: "2-digit", minute: "2-digit", timeZone }
      : spanMs <= 62 * 86_400_000
        ? { day: "numeric", month: "short", timeZone }
        : { month: "short", year: "numeric", timeZone };
  const formatter = new Intl.DateTimeFormat(locale, options);
  return (ms: number) => formatter.format(ms);
}

function chartOptions(
  plotLib: typeof uPlot,
  series: Series,
  alarms: readonly ChartAlarm[],
  view: {
    locale: string;
    labels: Record<"min" | "avg" | "max" | "temperature", string>;
    width: number;
    onZoom: { current: (from: Date, to: Date) => void };
  },
): uPlot.Options {
  const from = series.from.getTime();
  const to = series.to.getTime();
  const label = timeLabel(view.locale, series.timeZone, to - from);
  const degrees = new Intl.NumberFormat(view.locale, { maximumFractionDigits: 1 });
  const rolled = series.minC !== null;
  return {
    width: Math.max(280, view.width),
    height: chartHeight,
    ms: 1,
    tzDate: (ms) => plotLib.tzDate(new Date(ms), series.timeZone),
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: {
      x: { time: true, min: from, max: to },
      // Always show the storage band, whatever the readings.
      y: {
        range: (_plot, min, max) => [
          Math.floor(Math.min(min ?? 0, series.band.minC - 2)),
          Math.ceil(Math.max(max ?? 10, series.band.maxC + 2)),
        ],
      },
    },
    axes: [
      { values: (_plot, splits) => splits.map((split) => label(split)) },
      { values: (_plot, splits) => splits.map((split) => `${degrees.format(split)} °C`), size: 64 },
    ],
    series: rolled
      ? [
          { value: (_plot, ms) => (ms === null ? "" : label(ms)) },
          { label: view.labels.min, stroke: colors.cold, width: 1 },
          { label: view.labels.avg, stroke: colors.ink, width: 2 },
          { label: view.labels.max, stroke: colors.warm, width: 1 },
        ]
      : [
          { value: (_plot, ms) => (ms === null ? "" : label(ms)) },
          { label: view.labels.temperature, stroke: colors.ink, width: 2 },
        ],
    hooks: {
      drawClear: [(plot) => drawBandAndAlarms(plot, series, alarms)],
      setSelect: [
        (plot) => {
          if (plot.select.width < 2) return;
          const start = plot.posToVal(plot.select.left, "x");
          const end = plot.posToVal(plot.select.left + plot.select.width, "x");
          plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          const middle = (start + end) / 2;
          const span = Math.max(end - start, minZoomMs);
          view.onZoom.current(new Date(Math.round(middle - span / 2)), new Date(Math.round(middle + span / 2)));
        },
      ],
    },
  };
}

/** The +2…+8 °C band in green and each alarm's span in red (heat) or blue (cold), behind the lines. */
function drawBandAndAlarms(plot: uPlot, series: Series, alarms: readonly ChartAlarm[]) {
  const { ctx, bbox } = plot;
  ctx.save();
  const top = plot.valToPos(series.band.maxC, "y", true);
  const bottom = plot.valToPos(series.band.minC, "y", true);
  ctx.fillStyle = "rgba(26, 127, 55, 0.10)";
  ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
  const windowEnd = series.to.getTime();
  for (const alarm of alarms) {
    const start = Math.max(plot.valToPos(alarm.startedAt.getTime(), "x", true), bbox.left);
    const end = Math.min(
      plot.valToPos((alarm.endedAt ?? new Date(windowEnd)).getTime(), "x", true),
      bbox.left + bbox.width,
    );
    if (end <= start) continue;
    ctx.fillStyle = alarm.type === "freeze" ? "rgba(21, 101, 192, 0.16)" : "rgba(198, 40, 40, 0.16)";
    // At least 2 px, so a short alarm on a year's chart stays visible.
    ctx.fillRect(start, bbox.top, Math.max(2, end - start), bbox.height);
  }
  ctx.restore();
}
