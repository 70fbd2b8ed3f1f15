import { colors, fontSize } from "@rantai/ui/tokens";
import { randomUuid } from "@rantai/ui/uuid";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { formStyles } from "@/components/form-screen";
import { StockBookForm } from "@/components/stock-book-form";
import { TextField } from "@/components/text-field";
import { useQueueAction } from "@/hooks/use-queue-action";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { type CountedLot, countedLots, lotsInStock } from "@/lib/stock-book";
import { useSession } from "@/session/session-provider";
import { useSync } from "@/sync/sync-provider";

/** The most lots one count carries (the server's bound); a larger shelf is sent as several counts. */
const MAX_COUNT_LINES = 100;

/**
 * A physical count: staff enter the vials on the shelf for every lot the phone shows, see each
 * difference at once, and the count sets each lot to what was found (matching lots are recorded
 * too, so the stock card shows the count happened).
 */
export default function CountScreen() {
  const t = useTranslations("mobile.stockbook");
  const { user } = useSession();
  const { local } = useSync();
  const queue = useQueueAction();
  const [entered, setEntered] = useState<Record<number, string>>({});
  const [done, setDone] = useState<string | null>(null);

  const lines = countedLots(local ? lotsInStock(local, new Date()) : [], entered);
  const toCount = lines.filter((line) => line.countedDoses === null).length;
  const differ = lines.filter((line) => line.differenceDoses !== 0).length;
  const canSubmit = lines.length > 0 && toCount === 0 && !!user;

  const submit = async () => {
    if (!user || !canSubmit) return;
    const counted = lines.flatMap((line) =>
      line.countedDoses === null ? [] : [{ batchId: line.lot.batchId, countedDoses: line.countedDoses }],
    );
    for (let start = 0; start < counted.length; start += MAX_COUNT_LINES) {
      const saved = await queue.submit({
        kind: "stock.recordStockCount",
        clientTime: new Date(),
        input: {
          idempotencyKey: randomUuid(),
          orgUnitId: user.orgUnitId,
          lines: counted.slice(start, start + MAX_COUNT_LINES),
        },
      });
      if (!saved) return;
    }
    setDone(t("count.done", { lots: counted.length, differ }));
    setEntered({});
  };

  return (
    <StockBookForm
      title={t("count.title")}
      testIDPrefix="count"
      submitLabel={t("count.submit")}
      canSubmit={canSubmit}
      busy={queue.busy}
      onSubmit={() => void submit()}
      done={done}
      error={queue.error}
    >
      <Text style={formStyles.hint}>{t("count.hint")}</Text>
      {lines.length === 0 ? <Text style={formStyles.hint}>{t("noLots")}</Text> : null}
      {lines.map((line) => (
        <CountLine
          key={line.lot.batchId}
          line={line}
          value={entered[line.lot.batchId] ?? ""}
          onChange={(text) => setEntered((current) => ({ ...current, [line.lot.batchId]: text }))}
        />
      ))}
      {lines.length > 0 ? (
        <Text testID="count-summary" role="status" style={formStyles.step}>
          {toCount > 0 ? t("count.toCount", { count: toCount }) : t("count.summary", { differ })}
        </Text>
      ) : null}
    </StockBookForm>
  );
}

function CountLine({ line, value, onChange }: { line: CountedLot; value: string; onChange: (text: string) => void }) {
  const t = useTranslations("mobile.stockbook");
  const format = usePhoneFormat();
  const { lot, countedDoses, differenceDoses } = line;
  const difference =
    countedDoses === null
      ? null
      : differenceDoses === 0
        ? t("count.same")
        : differenceDoses > 0
          ? t("count.more", { doses: differenceDoses })
          : t("count.fewer", { doses: -differenceDoses });
  return (
    <View testID="count-line" style={formStyles.card}>
      <Text style={styles.lot}>{t("lot", { item: lot.itemName, lot: lot.lotNumber })}</Text>
      <Text style={formStyles.hint}>
        {t("lotDetail", {
          vials: lot.vials,
          doses: lot.quantity,
          date: format.day(lot.expiryDate),
          stage: lot.vvmStage,
        })}
      </Text>
      <TextField
        label={t("count.counted")}
        testID={`count-vials-${lot.lotNumber}`}
        value={value}
        onChangeText={onChange}
        inputMode="numeric"
        keyboardType="number-pad"
        placeholder={String(lot.vials)}
      />
      {line.invalid ? (
        <Text role="alert" style={styles.alert}>
          {t("vialsInvalid")}
        </Text>
      ) : difference ? (
        <Text
          testID={`count-difference-${lot.lotNumber}`}
          style={differenceDoses === 0 ? formStyles.hint : styles.alert}
        >
          {difference}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  lot: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  alert: { fontSize: fontSize.sm, fontWeight: "600", color: colors.danger },
});
