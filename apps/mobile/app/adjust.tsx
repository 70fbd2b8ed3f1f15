import { type AdjustmentReason, adjustmentReasons, isAdjustmentDirectionAllowed } from "@rantai/core/rules";
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

type Direction = "add" | "remove";
const directions: readonly Direction[] = ["add", "remove"];

/** A signed correction of one lot, in whole vials, with its reason and an explanation. */
export default function AdjustScreen() {
  const t = useTranslations("mobile.stockbook");
  const { user } = useSession();
  const { local } = useSync();
  const queue = useQueueAction();
  const [batchId, setBatchId] = useState<number | null>(null);
  const [direction, setDirection] = useState<Direction | null>(null);
  const [reason, setReason] = useState<AdjustmentReason | null>(null);
  const [vialsText, setVialsText] = useState("");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);

  const lots = local ? lotsInStock(local, new Date()) : [];
  const lot = lots.find((candidate) => candidate.batchId === batchId) ?? null;
  const sign = direction === "remove" ? -1 : 1;
  // Only the reasons the server accepts for the chosen direction (`found` adds, `lost`/`stolen` remove).
  const allowedReasons = adjustmentReasons.filter(
    (candidate) => direction === null || isAdjustmentDirectionAllowed(candidate, sign),
  );
  const vials = parseWholeNumber(vialsText);
  const vialsProblem =
    vials === "invalid" || vials === 0
      ? t("vialsInvalid")
      : direction === "remove" && typeof vials === "number" && lot && vials > lot.vials
        ? t("vialsTooMany", { vials: lot.vials })
        : null;
  const canSubmit =
    lot !== null &&
    direction !== null &&
    reason !== null &&
    allowedReasons.includes(reason) &&
    typeof vials === "number" &&
    !vialsProblem &&
    note.trim() !== "" &&
    !!user;

  const submit = async () => {
    if (!lot || !direction || !reason || typeof vials !== "number" || !user || !canSubmit) return;
    const saved = await queue.submit({
      kind: "stock.recordAdjustment",
      clientTime: new Date(),
      input: {
        idempotencyKey: randomUuid(),
        orgUnitId: user.orgUnitId,
        batchId: lot.batchId,
        doses: sign * vials * lot.dosesPerVial,
        reason,
        note: note.trim(),
      },
    });
    if (!saved) return;
    setDone(t("adjust.done", { direction, vials, item: lot.itemName, lot: lot.lotNumber }));
    setBatchId(null);
    setDirection(null);
    setReason(null);
    setVialsText("");
    setNote("");
  };

  const chooseDirection = (next: Direction) => {
    setDirection(next);
    if (reason && !isAdjustmentDirectionAllowed(reason, next === "remove" ? -1 : 1)) setReason(null);
  };

  return (
    <StockBookForm
      title={t("adjust.title")}
      testIDPrefix="adjust"
      submitLabel={t("adjust.submit")}
      canSubmit={canSubmit}
      busy={queue.busy}
      onSubmit={() => void submit()}
      done={done}
      error={queue.error}
    >
      <Text style={formStyles.step}>{t("adjust.stepLot")}</Text>
      <LotChoices lots={lots} selectedBatchId={batchId} onSelect={setBatchId} testIDPrefix="adjust" />
      <Text style={formStyles.step}>{t("adjust.stepDirection")}</Text>
      <OptionChoices
        options={directions}
        labelOf={(option) => t(`adjust.${option}`)}
        selected={direction}
        onSelect={chooseDirection}
        groupLabel={t("adjust.stepDirection")}
        testIDPrefix="adjust-direction"
      />
      <Text style={formStyles.step}>{t("adjust.stepReason")}</Text>
      <OptionChoices
        options={allowedReasons}
        labelOf={(option) => t(`adjust.reasons.${option}`)}
        selected={reason}
        onSelect={setReason}
        groupLabel={t("reasonGroup")}
        testIDPrefix="adjust-reason"
      />
      <Text style={formStyles.step}>{t("adjust.stepVials")}</Text>
      <TextField
        label={t("vials")}
        testID="adjust-vials-input"
        value={vialsText}
        onChangeText={setVialsText}
        inputMode="numeric"
        keyboardType="number-pad"
      />
      {vialsProblem ? (
        <Text testID="adjust-vials-error" role="alert" style={formStyles.fieldError}>
          {vialsProblem}
        </Text>
      ) : null}
      <TextField label={t("note")} testID="adjust-note-input" value={note} onChangeText={setNote} maxLength={500} />
      {note.trim() === "" ? <Text style={formStyles.hint}>{t("adjust.noteNeeded")}</Text> : null}
    </StockBookForm>
  );
}
