import { colors, fontSize, space } from "@rantai/ui/tokens";
import { useRouter } from "expo-router";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { useRefusalMessage } from "@/i18n/use-refusal-message";
import { describeAction } from "@/lib/action-description";
import { emptyLocalData } from "@/sync/local-store";
import { useSync } from "@/sync/sync-provider";

/**
 * The actions the server refused: what each was, why it was refused and what to do, in words; each
 * dismissed once read (and perhaps recorded again, corrected). The rest of the queue went on.
 */
export default function RejectedScreen() {
  const t = useTranslations("mobile.rejected");
  const format = usePhoneFormat();
  const router = useRouter();
  const describeRefusal = useRefusalMessage();
  const { engine, local } = useSync();
  // Newest first: the refusal just announced is the one staff came to read.
  const rejected = local ? [...local.rejected].reverse() : [];
  const data = local?.data ?? emptyLocalData();

  return (
    <FormScreen title={t("title")} cancelLabel={t("back")} cancelTestID="rejected-back" onCancel={() => router.back()}>
      <Text style={formStyles.hint}>{t("intro")}</Text>
      {rejected.length === 0 ? <Text style={styles.empty}>{t("empty")}</Text> : null}
      {rejected.map((entry) => {
        const description = describeAction(entry.action, data, t("unknownLot"));
        const what = t(`action.${description.key}`, description.values);
        return (
          <View key={entry.action.input.idempotencyKey} testID="rejected-action" style={formStyles.card}>
            <Text style={styles.what}>{what}</Text>
            <Text style={formStyles.hint}>
              {t("doneAt", { time: format.facilityTime(new Date(entry.action.clientTime)) })}
            </Text>
            <Text testID="rejected-reason" style={styles.reason}>
              {describeRefusal(entry.reason)}
            </Text>
            <Button
              label={t("dismiss")}
              accessibilityLabel={t("dismissLabel", { what })}
              testID="rejected-dismiss"
              variant="secondary"
              onPress={() => void engine?.dismissRejected(entry.action.input.idempotencyKey)}
            />
          </View>
        );
      })}
    </FormScreen>
  );
}

const styles = StyleSheet.create({
  empty: { fontSize: fontSize.md, color: colors.inkMuted, textAlign: "center", marginTop: space.xl },
  what: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  reason: { fontSize: fontSize.md, color: colors.danger },
});
