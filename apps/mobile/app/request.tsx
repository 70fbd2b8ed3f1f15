import { colors, fontSize } from "@rantai/ui/tokens";
import { randomUuid } from "@rantai/ui/uuid";
import { useRouter } from "expo-router";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { formStyles } from "@/components/form-screen";
import { StockBookForm } from "@/components/stock-book-form";
import { TextField } from "@/components/text-field";
import { useQueueAction } from "@/hooks/use-queue-action";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { parseWholeNumber, type RequestLine, requestLines } from "@/lib/stock-book";
import { useSession } from "@/session/session-provider";
import { useSync } from "@/sync/sync-provider";

/**
 * Asks the district for stock: each vaccine with the quantity the server's rule suggests (from
 * min/max months and the average monthly consumption), in vials, for staff to change; sent
 * through the queue, its status then follows on the requests list.
 */
export default function RequestScreen() {
  const t = useTranslations("mobile.stockbook");
  const router = useRouter();
  const { user } = useSession();
  const { local } = useSync();
  const queue = useQueueAction();
  const [entered, setEntered] = useState<Record<number, string>>({});

  const lines = local ? requestLines(local, new Date()) : [];
  // Until staff change it, a vaccine's field holds the suggestion (whole vials by the rule).
  const textOf = (line: RequestLine) =>
    entered[line.itemId] ?? String(line.suggestedDoses / Math.max(1, line.dosesPerVial));
  const vialsOf = (line: RequestLine) => parseWholeNumber(textOf(line));
  const wanted = lines.flatMap((line) => {
    const vials = vialsOf(line);
    return typeof vials === "number" && vials > 0
      ? [{ itemId: line.itemId, requestedDoses: vials * line.dosesPerVial }]
      : [];
  });
  const invalid = lines.some((line) => vialsOf(line) === "invalid");
  const totalDoses = wanted.reduce((total, line) => total + line.requestedDoses, 0);
  const canSubmit = wanted.length > 0 && !invalid && !!user;

  const submit = async () => {
    if (!user || !canSubmit) return;
    const saved = await queue.submit({
      kind: "distribution.createRequest",
      clientTime: new Date(),
      input: { idempotencyKey: randomUuid(), requesterOrgUnitId: user.orgUnitId, lines: wanted },
    });
    if (saved)
      router.replace({ pathname: "/requests", params: { sent: t("requests.sent", { count: wanted.length }) } });
  };

  return (
    <StockBookForm
      title={t("request.title")}
      testIDPrefix="request"
      submitLabel={t("request.submit")}
      canSubmit={canSubmit}
      busy={queue.busy}
      onSubmit={() => void submit()}
      done={null}
      error={queue.error}
    >
      <Text style={formStyles.hint}>{t("request.hint")}</Text>
      {lines.length === 0 ? <Text style={formStyles.hint}>{t("request.noItems")}</Text> : null}
      {lines.map((line) => (
        <RequestLineCard
          key={line.itemId}
          line={line}
          value={textOf(line)}
          invalid={vialsOf(line) === "invalid"}
          onChange={(text) => setEntered((current) => ({ ...current, [line.itemId]: text }))}
        />
      ))}
      <Text testID="request-total" role="status" style={formStyles.step}>
        {t("request.total", { items: wanted.length, doses: totalDoses })}
      </Text>
    </StockBookForm>
  );
}

function RequestLineCard({
  line,
  value,
  invalid,
  onChange,
}: {
  line: RequestLine;
  value: string;
  invalid: boolean;
  onChange: (text: string) => void;
}) {
  const t = useTranslations("mobile.stockbook");
  const format = usePhoneFormat();
  const perVial = Math.max(1, line.dosesPerVial);
  return (
    <View testID="request-line" style={formStyles.card}>
      <Text style={styles.item}>{line.itemName}</Text>
      <Text style={formStyles.hint}>
        {t("request.usable", { doses: line.usableDoses, amc: line.averageMonthlyConsumption })}
      </Text>
      {line.minMonths === null || line.maxMonths === null ? (
        <Text style={formStyles.hint}>{t("request.noFigures")}</Text>
      ) : (
        <Text style={formStyles.hint}>
          {line.monthsOfStock === null
            ? t("request.monthsUnknown")
            : t("request.months", {
                months: format.decimal(line.monthsOfStock),
                min: format.decimal(line.minMonths),
                max: format.decimal(line.maxMonths),
              })}
        </Text>
      )}
      <Text testID={`request-suggested-${line.itemCode}`} style={styles.suggested}>
        {t("request.suggested", { vials: line.suggestedDoses / perVial, doses: line.suggestedDoses })}
      </Text>
      <TextField
        label={t("request.vialsLabel", { item: line.itemName })}
        testID={`request-vials-${line.itemCode}`}
        value={value}
        onChangeText={onChange}
        inputMode="numeric"
        keyboardType="number-pad"
      />
      {invalid ? (
        <Text role="alert" style={formStyles.fieldError}>
          {t("vialsInvalid")}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  item: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  suggested: { fontSize: fontSize.md, fontWeight: "600", color: colors.ink },
});
