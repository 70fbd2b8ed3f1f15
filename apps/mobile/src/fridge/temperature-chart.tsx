import { type TimeZoneAbbreviation, utcOffsetHours } from "@rantai/core/rules";
import { colors, fontSize, space } from "@rantai/ui/tokens";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import Svg, { Circle, Line, Path, Rect, Text as SvgText } from "react-native-svg";
import { useFormatter, useTranslations } from "use-intl";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { chartGeometry } from "./chart-geometry";
import { type ChartSeries, seriesExtremes, timeOutOfRangeMs } from "./chart-series";
import { useDuration } from "./use-duration";

const CHART_HEIGHT = 200;
const box = { left: 30, right: 8, top: 12, bottom: 24 };

function offsetMinutesOf(abbreviation: string): number {
  const hours = utcOffsetHours[abbreviation as TimeZoneAbbreviation] as number | undefined;
  return (hours ?? utcOffsetHours.WIB) * 60;
}

/**
 * A fridge's temperature over the window, drawn small for a phone: the +2…+8 °C band, the
 * average line (with the hourly min–max shaded when drawn from rollups), the lowest and highest
 * points marked. The picture is described by the text under it (lowest, highest, time outside
 * the band), which screen readers read as the chart's label.
 */
export function TemperatureChart({ series }: { series: ChartSeries }) {
  const t = useTranslations("mobile.fridge.chart");
  const format = usePhoneFormat();
  const formatter = useFormatter();
  const duration = useDuration();
  const [width, setWidth] = useState(0);
  const extremes = seriesExtremes(series);
  const outside = timeOutOfRangeMs(series);
  const daily = series.to - series.from > 2 * 86_400_000;
  const zone = series.timeZone;
  // Ticks: hours over a day, days over a week; the marked extremes: day and time.
  const tickLabel = (at: number) =>
    formatter.dateTime(
      new Date(at),
      daily
        ? { day: "numeric", month: "short", timeZone: zone }
        : { hour: "2-digit", minute: "2-digit", timeZone: zone },
    );
  const degreesLabel = (tempC: number) => `${format.count(tempC)}°`;
  const momentOf = (at: number) =>
    `${formatter.dateTime(new Date(at), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: zone })} ${series.timeZoneAbbreviation}`;
  const summary = extremes
    ? t("summary", {
        min: format.temperature(extremes.min.tempC),
        minTime: momentOf(extremes.min.at),
        max: format.temperature(extremes.max.tempC),
        maxTime: momentOf(extremes.max.at),
        outside: outside > 0 ? "some" : "none",
        duration: duration(outside),
      })
    : t("noReadings");
  const geometry =
    width > 0 && extremes
      ? chartGeometry(series, { width, height: CHART_HEIGHT, ...box }, offsetMinutesOf(series.timeZoneAbbreviation))
      : null;

  // A label centred on the plot's very edge would be cut off.
  const inside = (tick: number) =>
    geometry !== null && geometry.x(tick) > box.left + 16 && geometry.x(tick) < width - box.right - 16;

  return (
    <View style={styles.chart}>
      <View
        testID="fridge-chart"
        accessible
        role="img"
        aria-label={summary}
        style={styles.canvas}
        onLayout={(event) => setWidth(Math.floor(event.nativeEvent.layout.width))}
      >
        {geometry && extremes ? (
          <Svg width={width} height={CHART_HEIGHT}>
            <Rect
              x={box.left}
              y={geometry.band.top}
              width={width - box.left - box.right}
              height={geometry.band.bottom - geometry.band.top}
              fill={colors.okSoft}
            />
            {geometry.temperatureTicks.map((tick) => (
              <SvgText
                key={`t${tick}`}
                x={box.left - 4}
                y={geometry.y(tick) + 4}
                fontSize={11}
                fontFamily="sans-serif"
                fill={colors.inkMuted}
                textAnchor="end"
              >
                {degreesLabel(tick)}
              </SvgText>
            ))}
            {geometry.timeTicks.filter(inside).map((tick) => (
              <SvgText
                key={`x${tick}`}
                x={geometry.x(tick)}
                y={CHART_HEIGHT - 6}
                fontSize={11}
                fontFamily="sans-serif"
                fill={colors.inkMuted}
                textAnchor="middle"
              >
                {tickLabel(tick)}
              </SvgText>
            ))}
            <Line
              x1={box.left}
              x2={box.left}
              y1={box.top}
              y2={CHART_HEIGHT - box.bottom}
              stroke={colors.border}
              strokeWidth={1}
            />
            {geometry.envelope ? <Path d={geometry.envelope} fill={colors.brand} fillOpacity={0.15} /> : null}
            <Path d={geometry.line} stroke={colors.brand} strokeWidth={2} fill="none" />
            <Marker x={geometry.x(extremes.max.at)} y={geometry.y(extremes.max.tempC)} color={colors.warm} />
            <Marker x={geometry.x(extremes.min.at)} y={geometry.y(extremes.min.tempC)} color={colors.cold} />
          </Svg>
        ) : null}
      </View>
      <Text testID="chart-summary" style={styles.summary}>
        {summary}
      </Text>
      <Text style={styles.legend}>{t("legend")}</Text>
    </View>
  );
}

function Marker({ x, y, color }: { x: number; y: number; color: string }) {
  return <Circle cx={x} cy={y} r={5} fill={colors.surface} stroke={color} strokeWidth={3} />;
}

const styles = StyleSheet.create({
  chart: { gap: space.sm },
  canvas: { height: CHART_HEIGHT, width: "100%" },
  summary: { fontSize: fontSize.md, color: colors.ink },
  legend: { fontSize: fontSize.sm, color: colors.inkMuted },
});
