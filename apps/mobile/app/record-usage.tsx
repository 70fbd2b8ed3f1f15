import { colors } from "@rantai/ui/tokens";
import { skipToken, useQuery } from "@tanstack/react-query";
import { useRouter } from "expo-router";
import { useState } from "react";
import { ActivityIndicator, Text } from "react-native";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { TextField } from "@/components/text-field";
import { ItemPicker, LotPicker } from "@/components/usage-pickers";
import { type UsageRequest, useRecordUsage } from "@/hooks/use-record-usage";
import { describeError } from "@/lib/api-error";
import { checkUsage, formatCount, plural, usableLotsFefo } from "@/lib/stock";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

/** One lot per session: staff record each lot they opened as its own session. */
export default function RecordUsageScreen() {
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
        ? `Recorded: ${plural(line.vialsOpened, "vial", "vials")} of ${item.itemName} (lot ${lot.lotNumber}) opened, ${plural(line.dosesAdministered, "dose", "doses")} given.`
        : "Usage recorded.";
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
    <FormScreen title="Record usage" cancelTestID="usage-cancel" onCancel={() => router.dismissTo("/stock")}>
      <Text style={styles.step}>1. Item</Text>
      {summary.isPending ? (
        <ActivityIndicator color={colors.brand} aria-label="Loading items" />
      ) : summary.isError ? (
        <Text role="alert" style={styles.error}>
          {describeError(summary.error)}
        </Text>
      ) : (
        <ItemPicker items={summary.data.items} selectedItemId={itemId} onSelect={selectItem} />
      )}

      {itemId === null ? null : (
        <>
          <Text style={styles.step}>2. Lot (earliest expiry first)</Text>
          {balances.isPending ? (
            <ActivityIndicator color={colors.brand} aria-label="Loading lots" />
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
          <Text style={styles.step}>3. The session</Text>
          <TextField
            label="Vials opened"
            testID="usage-vials-input"
            value={vialsOpened}
            onChangeText={setVialsOpened}
            inputMode="numeric"
            keyboardType="number-pad"
            placeholder={`1 to ${lot.vials}`}
          />
          <FieldError testID="usage-vials-error" message={check?.ok === false ? check.vialsError : null} />
          <TextField
            label="Doses given"
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
              {formatCount(check.vialsOpened * lot.dosesPerVial)} doses leave stock (
              {plural(lot.dosesPerVial, "dose", "doses")} per vial).
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
        label="Record usage"
        testID="usage-submit"
        onPress={submit}
        disabled={!canSubmit}
        busy={recordUsage.isPending}
      />
    </FormScreen>
  );
}

function FieldError({ message, testID }: { message: string | null; testID: string }) {
  if (!message) return null;
  return (
    <Text testID={testID} role="alert" style={styles.fieldError}>
      {message}
    </Text>
  );
}

const styles = formStyles;
