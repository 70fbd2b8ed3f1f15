import { colors, fontSize, space } from "@rantai/ui/tokens";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { Choice, ChoiceDetail } from "@/components/choice";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { Lot, StockItem } from "@/lib/local-stock";

const EXPIRES_SOON_DAYS = 90;

export function ItemPicker({
  items,
  selectedItemId,
  onSelect,
}: {
  items: readonly StockItem[];
  selectedItemId: number | null;
  onSelect: (itemId: number) => void;
}) {
  const t = useTranslations("mobile.usage");
  // Once an item is chosen the list folds to it, so the lot and the numbers come into view
  // on a phone instead of a dozen rows further down.
  const [open, setOpen] = useState(selectedItemId === null);
  const folded = !open && selectedItemId !== null;
  const shown = folded ? items.filter((item) => item.itemId === selectedItemId) : items;
  return (
    <View role="radiogroup" aria-label={t("itemGroup")} style={styles.group}>
      {shown.map((item) => {
        const usableVials = Math.floor(item.usableStock / Math.max(1, item.dosesPerVial));
        return (
          <Choice
            key={item.itemId}
            testID={`usage-item-${item.itemCode}`}
            label={item.itemName}
            selected={item.itemId === selectedItemId}
            // Nothing can be opened from an item with no usable vial; the server would refuse it.
            disabled={usableVials === 0}
            onPress={() => {
              onSelect(item.itemId);
              setOpen(false);
            }}
          >
            <ChoiceDetail
              text={
                usableVials === 0
                  ? t("noUsableStock")
                  : t("usableStock", { doses: item.usableStock, vials: usableVials })
              }
            />
          </Choice>
        );
      })}
      {folded ? (
        <Button
          label={t("chooseAnother")}
          testID="usage-item-change"
          variant="secondary"
          onPress={() => setOpen(true)}
        />
      ) : null}
    </View>
  );
}

export function LotPicker({
  lots,
  hiddenCount,
  selectedBatchId,
  onSelect,
}: {
  /** Usable lots in FEFO order. */
  lots: readonly Lot[];
  /** Lots held but expired or past the VVM discard point. */
  hiddenCount: number;
  selectedBatchId: number | null;
  onSelect: (batchId: number) => void;
}) {
  const t = useTranslations("mobile.usage");
  const format = usePhoneFormat();
  return (
    <View role="radiogroup" aria-label={t("lotGroup")} style={styles.group}>
      {lots.length === 0 ? <Text style={styles.note}>{t("noUsableLot")}</Text> : null}
      {lots.map((lot, index) => (
        <Choice
          key={lot.batchId}
          testID={`usage-lot-${lot.lotNumber}`}
          label={t(index === 0 ? "lotFirst" : "lot", { lot: lot.lotNumber })}
          selected={lot.batchId === selectedBatchId}
          onPress={() => onSelect(lot.batchId)}
        >
          <ChoiceDetail
            tone={lot.daysUntilExpiry <= EXPIRES_SOON_DAYS ? "warn" : "muted"}
            text={t("expires", { date: format.day(lot.expiryDate), days: lot.daysUntilExpiry })}
          />
          <ChoiceDetail
            tone={lot.vvmStage >= 2 ? "warn" : "muted"}
            text={t("vvm", { stage: lot.vvmStage, vials: lot.vials, doses: lot.quantity })}
          />
        </Choice>
      ))}
      {hiddenCount > 0 ? <Text style={styles.note}>{t("hiddenLots", { count: hiddenCount })}</Text> : null}
    </View>
  );
}

const styles = StyleSheet.create({
  group: { gap: space.sm },
  note: { fontSize: fontSize.sm, color: colors.inkMuted },
});
