import { colors, fontSize, space } from "@rantai/ui/tokens";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { Button } from "@/components/button";
import { Choice, ChoiceDetail } from "@/components/choice";
import { formatCount, type Lot, plural, type StockItem } from "@/lib/stock";

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
  // Once an item is chosen the list folds to it, so the lot and the numbers come into view
  // on a phone instead of a dozen rows further down.
  const [open, setOpen] = useState(selectedItemId === null);
  const folded = !open && selectedItemId !== null;
  const shown = folded ? items.filter((item) => item.itemId === selectedItemId) : items;
  return (
    <View role="radiogroup" aria-label="Item" style={styles.group}>
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
                  ? "No usable stock"
                  : `${formatCount(item.usableStock)} usable doses · ${plural(usableVials, "vial", "vials")}`
              }
            />
          </Choice>
        );
      })}
      {folded ? (
        <Button
          label="Choose another item"
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
  return (
    <View role="radiogroup" aria-label="Lot" style={styles.group}>
      {lots.length === 0 ? <Text style={styles.note}>No usable lot of this item is in stock.</Text> : null}
      {lots.map((lot, index) => (
        <Choice
          key={lot.batchId}
          testID={`usage-lot-${lot.lotNumber}`}
          label={index === 0 ? `Lot ${lot.lotNumber} · use first` : `Lot ${lot.lotNumber}`}
          selected={lot.batchId === selectedBatchId}
          onPress={() => onSelect(lot.batchId)}
        >
          <ChoiceDetail
            tone={lot.daysUntilExpiry <= EXPIRES_SOON_DAYS ? "warn" : "muted"}
            text={`Expires ${lot.expiryDate} (${expiresIn(lot.daysUntilExpiry)})`}
          />
          <ChoiceDetail
            tone={lot.vvmStage >= 2 ? "warn" : "muted"}
            text={`VVM stage ${lot.vvmStage} · ${plural(lot.vials, "vial", "vials")} (${formatCount(lot.quantity)} doses)`}
          />
        </Choice>
      ))}
      {hiddenCount > 0 ? (
        <Text style={styles.note}>
          {plural(hiddenCount, "lot is", "lots are")} not shown: expired or past the VVM discard point, they must be
          discarded, not used.
        </Text>
      ) : null}
    </View>
  );
}

function expiresIn(days: number): string {
  if (days === 0) return "today";
  return days === 1 ? "tomorrow" : `in ${formatCount(days)} days`;
}

const styles = StyleSheet.create({
  group: { gap: space.sm },
  note: { fontSize: fontSize.sm, color: colors.inkMuted },
});
