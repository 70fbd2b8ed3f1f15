import type { RouterInputs } from "@rantai/api";
import { randomUuid } from "@rantai/ui/uuid";
import { useState } from "react";
import { Text } from "react-native";
import { useTranslations } from "use-intl";
import { formStyles } from "@/components/form-screen";
import { LotChoices } from "@/components/lot-choices";
import { OptionChoices } from "@/components/option-choices";
import { StockBookForm } from "@/components/stock-book-form";
import { TextField } from "@/components/text-field";
import { useQueueAction } from "@/hooks/use-queue-action";
import { lotsInStock, parseWholeNumber } from "@/lib/stock-book";
import { useSession } from "@/session/session-provider";
import { useSync } from "@/sync/sync-provider";

type DiscardReason = RouterInputs["stock"]["recordDiscard"]["lines"][number]["reason"];
/** What staff throw vials away for, in the order they meet them; open-vial waste is recorded with usage. */
const reasons = [
  "expired",
  "vvm_discard_point",
  "frozen",
  "heat_exposed",
  "broken",
  "other",
] as const satisfies readonly DiscardReason[];
type Reason = (typeof reasons)[number];

/** Vials thrown away from one lot, with why; unusable lots (expired, VVM past the discard point) included. */
export default function DiscardScreen() {
  const t = useTranslations("mobile.stockbook");
  const { user } = useSession();
  const { local } = useSync();
  const queue = useQueueAction();
  const [batchId, setBatchId] = useState<number | null>(null);
  const [reason, setReason] = useState<Reason | null>(null);
  const [vialsText, setVialsText] = useState("");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);

  const lots = local ? lotsInStock(local, new Date()) : [];
  const lot = lots.find((candidate) => candidate.batchId === batchId) ?? null;
  const vials = parseWholeNumber(vialsText);
  const vialsProblem =
    vials === "invalid" || vials === 0
      ? t("vialsInvalid")
      : typeof vials === "number" && lot && vials > lot.vials
        ? t("vialsTooMany", { vials: lot.vials })
        : null;
  const noteMissing = reason === "other" && note.trim() === "";
  const canSubmit =
    lot !== null && reason !== null && typeof vials === "number" && !vialsProblem && !noteMissing && !!user;

  const submit = async () => {
    if (!lot || !reason || typeof vials !== "number" || !user || !canSubmit) return;
    const saved = await queue.submit({
      kind: "stock.recordDiscard",
      clientTime: new Date(),
      input: {
        idempotencyKey: randomUuid(),
        orgUnitId: user.orgUnitId,
        lines: [{ batchId: lot.batchId, vials, reason }],
        ...(note.trim() === "" ? {} : { note: note.trim() }),
      },
    });
    if (!saved) return;
    setDone(t("discard.done", { vials, item: lot.itemName, lot: lot.lotNumber }));
    setBatchId(null);
    setReason(null);
    setVialsText("");
    setNote("");
  };

  return (
    <StockBookForm
      title={t("discard.title")}
      testIDPrefix="discard"
      submitLabel={t("discard.submit")}
      canSubmit={canSubmit}
      busy={queue.busy}
      onSubmit={() => void submit()}
      done={done}
      error={queue.error}
    >
      <Text style={formStyles.step}>{t("discard.stepLot")}</Text>
      <LotChoices lots={lots} selectedBatchId={batchId} onSelect={setBatchId} testIDPrefix="discard" />
      <Text style={formStyles.step}>{t("discard.stepReason")}</Text>
      <OptionChoices
        options={reasons}
        labelOf={(option) => t(`discard.reasons.${option}`)}
        selected={reason}
        onSelect={setReason}
        groupLabel={t("reasonGroup")}
        testIDPrefix="discard-reason"
      />
      <Text style={formStyles.step}>{t("discard.stepVials")}</Text>
      <TextField
        label={t("vials")}
        testID="discard-vials-input"
        value={vialsText}
        onChangeText={setVialsText}
        inputMode="numeric"
        keyboardType="number-pad"
        placeholder={lot ? t("vialsHint", { vials: lot.vials }) : undefined}
      />
      {vialsProblem ? (
        <Text testID="discard-vials-error" role="alert" style={formStyles.fieldError}>
          {vialsProblem}
        </Text>
      ) : null}
      <TextField
        label={reason === "other" ? t("note") : t("noteOptional")}
        testID="discard-note-input"
        value={note}
        onChangeText={setNote}
        maxLength={500}
      />
      {noteMissing ? <Text style={formStyles.hint}>{t("discard.noteNeeded")}</Text> : null}
    </StockBookForm>
  );
}
