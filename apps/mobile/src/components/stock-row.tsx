import { colors, fontSize, radius, space, temperatureToneColors } from "@rantai/ui/tokens";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { StockItem } from "@/lib/local-stock";
import { stockStatusTones } from "@/lib/stock";

/** One item of the facility's stock: doses on hand, months of stock with status, what needs attention. */
export function StockRow({ item }: { item: StockItem }) {
  const t = useTranslations();
  const format = usePhoneFormat();
  const tone = temperatureToneColors[stockStatusTones[item.status]];
  const vials = Math.floor(item.stockOnHand / Math.max(1, item.dosesPerVial));
  const expiringSoon = item.expiringSoon;
  const months =
    item.monthsOfStock === null
      ? t("mobile.stock.monthsUnknown")
      : t("mobile.stock.months", {
          months: format.decimal(item.monthsOfStock),
          min: item.minMonths,
          max: item.maxMonths,
        });

  return (
    <View testID="stock-row" style={styles.card}>
      <View style={styles.titleRow}>
        <Text style={styles.name}>{item.itemName}</Text>
        {/* Spelled out so the status never depends on colour alone. */}
        <Text testID="stock-status" style={[styles.status, { color: tone.fg, backgroundColor: tone.bg }]}>
          {t(`stock.status.${item.status}`)}
        </Text>
      </View>
      <Text style={styles.onHand}>
        <Text testID="stock-doses" style={styles.doses}>
          {format.count(item.stockOnHand)}
        </Text>{" "}
        {t("mobile.stock.onHand", { vials })}
      </Text>
      {item.pendingDoses !== 0 ? (
        // Shown at once after a form saves on the phone; gone once the server has it and a pull brought it.
        <Text testID="stock-pending" style={styles.pending}>
          {item.pendingDoses < 0
            ? t("mobile.stock.pendingTaken", { doses: -item.pendingDoses })
            : t("mobile.stock.pendingAdded", { doses: item.pendingDoses })}
        </Text>
      ) : null}
      <Text testID="stock-doses-per-vial" style={styles.muted}>
        {t("stock.dosesPerVial", { count: item.dosesPerVial })}
      </Text>
      <Text style={styles.muted}>{months}</Text>
      {item.unusableStock > 0 ? (
        <Text testID="stock-unusable" style={[styles.flag, styles.flagDanger]}>
          {t("mobile.stock.unusable", { doses: item.unusableStock })}
        </Text>
      ) : null}
      {expiringSoon > 0 ? (
        <Text testID="stock-expiring" style={[styles.flag, styles.flagWarn]}>
          {t("mobile.stock.expiring", { doses: expiringSoon })}
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
  pending: { fontSize: fontSize.sm, fontWeight: "600", color: colors.brand },
  flag: { fontSize: fontSize.sm, fontWeight: "600", padding: space.sm, borderRadius: radius.sm, marginTop: space.xs },
  flagDanger: { color: colors.danger, backgroundColor: colors.warmSoft },
  flagWarn: { color: colors.ink, backgroundColor: colors.warmSoft },
});
