import { randomUuid } from "@rantai/ui/uuid";
import { useRouter } from "expo-router";
import { useState } from "react";
import { Text } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { TextField } from "@/components/text-field";
import { ItemPicker, LotPicker } from "@/components/usage-pickers";
import { useSaveAction } from "@/hooks/use-save-action";
import { useStockBook } from "@/hooks/use-stock-book";
import { checkUsage, type UsageProblem, usableLotsFefo } from "@/lib/stock";
import { useSession } from "@/session/session-provider";

/** One lot per session: staff record each lot they opened as its own session. Saved on the phone, sent when it can be. */
export default function RecordUsageScreen() {
  const t = useTranslations("mobile");
  const router = useRouter();
  const { user } = useSession();
  const { items, lots: heldLots } = useStockBook();
  const [itemId, setItemId] = useState<number | null>(null);
  const [chosenBatchId, setChosenBatchId] = useState<number | null>(null);
  const [vialsOpened, setVialsOpened] = useState("");
  const [dosesAdministered, setDosesAdministered] = useState("");
  const saving = useSaveAction();

  const allLots = heldLots.filter((lot) => lot.itemId === itemId && lot.quantity > 0);
  const lots = usableLotsFefo(allLots);
  // Until staff pick one, the lot to use first (earliest expiry) is chosen for them.
  const lot = lots.find((candidate) => candidate.batchId === chosenBatchId) ?? lots[0] ?? null;
  const check = lot ? checkUsage({ vialsOpened, dosesAdministered }, lot) : null;
  const orgUnitId = user?.orgUnitId ?? null;
  const canSubmit = check?.ok === true && lot !== null && orgUnitId !== null && !saving.isPending;

  const submit = async () => {
    if (!check?.ok || !lot || orgUnitId === null) return;
    const idempotencyKey = randomUuid();
    const now = new Date();
    const line = { batchId: lot.batchId, vialsOpened: check.vialsOpened, dosesAdministered: check.dosesAdministered };
    const saved = await saving.save({
      kind: "stock.recordUsage",
      clientTime: now,
      input: { idempotencyKey, orgUnitId, occurredAt: now, lines: [line] },
    });
    if (!saved) return;
    const recorded = t("stock.recorded", {
      vials: line.vialsOpened,
      item: lot.itemName,
      lot: lot.lotNumber,
      doses: line.dosesAdministered,
    });
    router.dismissTo({ pathname: "/stock", params: { recorded, key: idempotencyKey } });
  };

  const selectItem = (next: number) => {
    setItemId(next);
    setChosenBatchId(null);
  };

  return (
    <FormScreen title={t("usage.title")} cancelTestID="usage-cancel" onCancel={() => router.dismissTo("/stock")}>
      <Text style={styles.step}>{t("usage.stepItem")}</Text>
      {items.length === 0 ? (
        <Text style={styles.hint}>{t("sync.nothingYet")}</Text>
      ) : (
        <ItemPicker items={items} selectedItemId={itemId} onSelect={selectItem} />
      )}

      {itemId === null ? null : (
        <>
          <Text style={styles.step}>{t("usage.stepLot")}</Text>
          <LotPicker
            lots={lots}
            hiddenCount={allLots.filter((candidate) => !candidate.usable).length}
            selectedBatchId={lot?.batchId ?? null}
            onSelect={setChosenBatchId}
          />
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
            onSubmitEditing={() => void submit()}
          />
          <FieldError testID="usage-doses-error" message={check?.ok === false ? check.dosesError : null} />
          {check?.ok ? (
            <Text style={styles.hint}>
              {t("usage.dosesLeave", { doses: check.vialsOpened * lot.dosesPerVial, perVial: lot.dosesPerVial })}
            </Text>
          ) : null}
        </>
      ) : null}

      {saving.error ? (
        <Text testID="usage-error" role="alert" aria-live="polite" style={styles.error}>
          {saving.error}
        </Text>
      ) : null}

      <Button
        label={t("usage.submit")}
        testID="usage-submit"
        onPress={() => void submit()}
        disabled={!canSubmit}
        busy={saving.isPending}
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
