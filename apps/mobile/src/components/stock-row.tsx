import { colors, fontSize, radius, space, temperatureToneColors } from "@rantai/ui/tokens";
import { StyleSheet, Text, View } from "react-native";
import { formatCount, plural, type StockItem, stockStatusLabels, stockStatusTones } from "@/lib/stock";

/** One item of the facility's stock: doses on hand, months of stock with status, what needs attention. */
export function StockRow({ item }: { item: StockItem }) {
  const tone = temperatureToneColors[stockStatusTones[item.status]];
  const vials = Math.floor(item.stockOnHand / Math.max(1, item.dosesPerVial));
  const expiringSoon = item.expiring.within90Days;
  const months =
    item.monthsOfStock === null
      ? "Months of stock unknown until doses are used"
      : `${item.monthsOfStock.toFixed(1)} months of stock (min ${item.minMonths}, max ${item.maxMonths})`;

  return (
    <View testID="stock-row" style={styles.card}>
      <View style={styles.titleRow}>
        <Text style={styles.name}>{item.itemName}</Text>
        {/* Spelled out so the status never depends on colour alone. */}
        <Text testID="stock-status" style={[styles.status, { color: tone.fg, backgroundColor: tone.bg }]}>
          {stockStatusLabels[item.status]}
        </Text>
      </View>
      <Text style={styles.onHand}>
        <Text testID="stock-doses" style={styles.doses}>
          {formatCount(item.stockOnHand)}
        </Text>{" "}
        doses on hand · {plural(vials, "vial", "vials")}
      </Text>
      <Text testID="stock-doses-per-vial" style={styles.muted}>
        {plural(item.dosesPerVial, "dose", "doses")} per vial
      </Text>
      <Text style={styles.muted}>{months}</Text>
      {item.unusableStock > 0 ? (
        <Text testID="stock-unusable" style={[styles.flag, styles.flagDanger]}>
          {formatCount(item.unusableStock)} doses unusable (expired or VVM past discard point): discard them
        </Text>
      ) : null}
      {expiringSoon > 0 ? (
        <Text testID="stock-expiring" style={[styles.flag, styles.flagWarn]}>
          {formatCount(expiringSoon)} doses expire within 90 days: use them first
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  card: {
    gap: space.xs,
    padding: space.lg,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
  },
  titleRow: { flexDirection: "row", alignItems: "flex-start", justifyContent: "space-between", gap: space.sm },
  name: { flex: 1, fontSize: fontSize.lg, fontWeight: "600", color: colors.ink },
  status: {
    fontSize: fontSize.sm,
    fontWeight: "700",
    paddingHorizontal: space.sm,
    paddingVertical: 2,
    borderRadius: radius.sm,
    overflow: "hidden",
  },
  onHand: { fontSize: fontSize.md, color: colors.ink },
  doses: { fontSize: fontSize.xl, fontWeight: "700", fontVariant: ["tabular-nums"] },
  muted: { fontSize: fontSize.sm, color: colors.inkMuted },
  flag: { fontSize: fontSize.sm, fontWeight: "600", padding: space.sm, borderRadius: radius.sm, marginTop: space.xs },
  flagDanger: { color: colors.danger, backgroundColor: colors.warmSoft },
  flagWarn: { color: colors.ink, backgroundColor: colors.warmSoft },
});
