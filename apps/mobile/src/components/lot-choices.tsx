import { space } from "@rantai/ui/tokens";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Choice, ChoiceDetail } from "@/components/choice";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { BookLot } from "@/lib/stock-book";
import { formStyles } from "./form-screen";

/** The lots in stock as one single choice, each with its vials, expiry and VVM; unusable ones say so. */
export function LotChoices({
  lots,
  selectedBatchId,
  onSelect,
  testIDPrefix,
}: {
  lots: readonly BookLot[];
  selectedBatchId: number | null;
  onSelect: (batchId: number) => void;
  testIDPrefix: string;
}) {
  const t = useTranslations("mobile.stockbook");
  const format = usePhoneFormat();
  return (
    <View role="radiogroup" aria-label={t("lotGroup")} style={styles.group}>
      {lots.length === 0 ? <Text style={formStyles.hint}>{t("noLots")}</Text> : null}
      {lots.map((lot) => (
        <Choice
          key={lot.batchId}
          testID={`${testIDPrefix}-lot-${lot.lotNumber}`}
          label={t("lot", { item: lot.itemName, lot: lot.lotNumber })}
          selected={lot.batchId === selectedBatchId}
          onPress={() => onSelect(lot.batchId)}
        >
          <ChoiceDetail
            text={t("lotDetail", {
              vials: lot.vials,
              doses: lot.quantity,
              date: format.day(lot.expiryDate),
              stage: lot.vvmStage,
            })}
          />
          {lot.usable ? null : <ChoiceDetail tone="warn" text={t("lotUnusable")} />}
        </Choice>
      ))}
    </View>
  );
}

const styles = StyleSheet.create({ group: { gap: space.sm } });
