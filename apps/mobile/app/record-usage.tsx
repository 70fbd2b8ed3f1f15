import { colors } from "@rantai/ui/tokens";
import { skipToken, useQuery } from "@tanstack/react-query";
import { useRouter } from "expo-router";
import { useState } from "react";
import { ActivityIndicator, Text } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { TextField } from "@/components/text-field";
import { ItemPicker, LotPicker } from "@/components/usage-pickers";
import { type UsageRequest, useRecordUsage } from "@/hooks/use-record-usage";
import { useErrorMessage } from "@/i18n/use-error-message";
import { checkUsage, type UsageProblem, usableLotsFefo } from "@/lib/stock";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

/** One lot per session: staff record each lot they opened as its own session. */
export default function RecordUsageScreen() {
  const t = useTranslations("mobile");
  const describeError = useErrorMessage();
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useSession();
  const [itemId, setItemId] = useState<number | null>(null);
  const [chosenBatchId, setChosenBatchId] = useState<number | null>(null);
  const [vialsOpened, setVialsOpened] = useState("");
  const [dosesAdministered, setDosesAdministered] = useState("");

  // The same query as the stock screen's, so it is usually answered from the cache.
  const summary = useQuery(trpc.stock.facilitySummary.queryOptions({}, { enabled: status === "signed-in" }));
  const balances = useQuery(
    trpc.stock.listBalances.queryOptions(itemId === null ? skipToken : { itemId, limit: 100 }, {
      enabled: status === "signed-in",
    }),
  );
  const allLots = balances.data?.items ?? [];
  const lots = usableLotsFefo(allLots);
  // Until staff pick one, the lot to use first (earliest expiry) is chosen for them.
  const lot = lots.find((candidate) => candidate.batchId === chosenBatchId) ?? lots[0] ?? null;
  const item = summary.data?.items.find((candidate) => candidate.itemId === itemId) ?? null;
  const check = lot ? checkUsage({ vialsOpened, dosesAdministered }, lot) : null;

  const recordUsage = useRecordUsage((request: UsageRequest) => {
    const [line] = request.lines;
    const recorded =
      lot && item && line
        ? t("stock.recorded", {
            vials: line.vialsOpened,
            item: item.itemName,
            lot: lot.lotNumber,
            doses: line.dosesAdministered,
          })
        : t("stock.recordedShort");
    router.dismissTo({ pathname: "/stock", params: { recorded } });
  });

  const orgUnitId = summary.data?.orgUnitId;
  const canSubmit = check?.ok === true && lot !== null && orgUnitId !== undefined && !recordUsage.isPending;
  const submit = () => {
    if (!check?.ok || !lot || orgUnitId === undefined) return;
    recordUsage.submit({
      orgUnitId,
      lines: [{ batchId: lot.batchId, vialsOpened: check.vialsOpened, dosesAdministered: check.dosesAdministered }],
    });
  };

  const selectItem = (next: number) => {
    setItemId(next);
    setChosenBatchId(null);
  };

  return (
    <FormScreen title={t("usage.title")} cancelTestID="usage-cancel" onCancel={() => router.dismissTo("/stock")}>
      <Text style={styles.step}>{t("usage.stepItem")}</Text>
      {summary.isPending ? (
        <ActivityIndicator color={colors.brand} aria-label={t("usage.loadingItems")} />
      ) : summary.isError ? (
        <Text role="alert" style={styles.error}>
          {describeError(summary.error)}
        </Text>
      ) : (
        <ItemPicker items={summary.data.items} selectedItemId={itemId} onSelect={selectItem} />
      )}

      {itemId === null ? null : (
        <>
          <Text style={styles.step}>{t("usage.stepLot")}</Text>
          {balances.isPending ? (
            <ActivityIndicator color={colors.brand} aria-label={t("usage.loadingLots")} />
          ) : balances.isError ? (
            <Text role="alert" style={styles.error}>
              {describeError(balances.error)}
            </Text>
          ) : (
            <LotPicker
              lots={lots}
              hiddenCount={allLots.filter((candidate) => !candidate.usable).length}
              selectedBatchId={lot?.batchId ?? null}
              onSelect={setChosenBatchId}
            />
          )}
        </>
      )}

      {lot ? (
        <>
          <Text style={styles.step}>{t("usage.stepSession")}</Text>
          <TextField
            label={t("usage.vialsOpened")}
            testID="usage-vials-input"
            value={vialsOpened}
            onChangeText={setVialsOpened}
            inputMode="numeric"
            keyboardType="number-pad"
            placeholder={t("usage.vialsPlaceholder", { vials: lot.vials })}
          />
          <FieldError testID="usage-vials-error" message={check?.ok === false ? check.vialsError : null} />
          <TextField
            label={t("usage.dosesGiven")}
            testID="usage-doses-input"
            value={dosesAdministered}
            onChangeText={setDosesAdministered}
            inputMode="numeric"
            keyboardType="number-pad"
            returnKeyType="done"
            onSubmitEditing={submit}
          />
          <FieldError testID="usage-doses-error" message={check?.ok === false ? check.dosesError : null} />
          {check?.ok ? (
            <Text style={styles.hint}>
              {t("usage.dosesLeave", { doses: check.vialsOpened * lot.dosesPerVial, perVial: lot.dosesPerVial })}
            </Text>
          ) : null}
        </>
      ) : null}

      {recordUsage.errorMessage ? (
        <Text testID="usage-error" role="alert" aria-live="polite" style={styles.error}>
          {recordUsage.errorMessage}
        </Text>
      ) : null}

      <Button
        label={t("usage.submit")}
        testID="usage-submit"
        onPress={submit}
        disabled={!canSubmit}
        busy={recordUsage.isPending}
      />
    </FormScreen>
  );
}

function FieldError({ message, testID }: { message: UsageProblem | null; testID: string }) {
  const t = useTranslations("mobile.usage.check");
  if (!message) return null;
  return (
    <Text testID={testID} role="alert" style={styles.fieldError}>
      {"values" in message ? t(message.key, message.values) : t(message.key)}
    </Text>
  );
}

const styles = formStyles;
