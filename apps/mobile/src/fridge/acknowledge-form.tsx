import type { ErrorReason } from "@rantai/api";
import { colors, fontSize, space } from "@rantai/ui/tokens";
import { randomUuid } from "@rantai/ui/uuid";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { Choice } from "@/components/choice";
import { TextField } from "@/components/text-field";
import { useErrorMessage } from "@/i18n/use-error-message";
import { LocalRejection } from "@/sync/optimistic";
import { useEnqueue } from "@/sync/sync-provider";

/** What staff did about an alarm; "other" needs a note saying what. */
export const acknowledgementActions = ["moved_vaccines", "called_technician", "other"] as const;
export type AcknowledgementAction = (typeof acknowledgementActions)[number];

/** With the action's words it stays well within the comment's 1000 characters (ZAcknowledgeAlarmSchema). */
const MAX_NOTE = 500;

/**
 * Acknowledges an alarm with the action taken. The choice and the note become the alarm's
 * comment (what the console shows), in the words of the catalog; the action is queued with its
 * own key, so it works offline and is applied once, and the alarm shows acknowledged at once.
 */
export function AcknowledgeForm({ alarmId, onDone }: { alarmId: number; onDone: () => void }) {
  const t = useTranslations("mobile.fridge.acknowledge");
  const tErrors = useTranslations();
  const describeError = useErrorMessage();
  const enqueue = useEnqueue();
  const [action, setAction] = useState<AcknowledgementAction | null>(null);
  const [note, setNote] = useState("");
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const trimmed = note.trim();
  const noteMissing = action === "other" && trimmed === "";

  const submit = async () => {
    setTried(true);
    if (action === null || noteMissing || busy) return;
    const actionText = t(`actions.${action}`);
    const comment = trimmed ? t("commentWithNote", { action: actionText, note: trimmed }) : actionText;
    setBusy(true);
    setError(null);
    try {
      await enqueue({
        kind: "coldchain.acknowledgeAlarm",
        clientTime: new Date(),
        input: { idempotencyKey: randomUuid(), alarmId, comment },
      });
      onDone();
    } catch (caught) {
      if (caught instanceof LocalRejection) {
        // The local rules refuse with the server's reasons, worded by the same catalog entries.
        const key = `errors.${caught.reason as ErrorReason}` as const;
        setError(tErrors.has(key) ? tErrors(key) : tErrors("errors.internal"));
      } else {
        setError(describeError(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <View testID="acknowledge-form" style={styles.form}>
      <Text style={styles.heading}>{t("question")}</Text>
      <View role="radiogroup" aria-label={t("question")} style={styles.choices}>
        {acknowledgementActions.map((choice) => (
          <Choice
            key={choice}
            testID={`acknowledge-${choice}`}
            label={t(`actions.${choice}`)}
            selected={action === choice}
            onPress={() => setAction(choice)}
          />
        ))}
      </View>
      {tried && action === null ? (
        <Text role="alert" style={styles.fieldError}>
          {t("chooseAction")}
        </Text>
      ) : null}
      <TextField
        label={t(action === "other" ? "noteRequired" : "noteOptional")}
        testID="acknowledge-note"
        value={note}
        onChangeText={setNote}
        maxLength={MAX_NOTE}
        multiline
      />
      {tried && noteMissing ? (
        <Text role="alert" style={styles.fieldError}>
          {t("noteMissing")}
        </Text>
      ) : null}
      {error ? (
        <Text testID="acknowledge-error" role="alert" style={styles.fieldError}>
          {error}
        </Text>
      ) : null}
      <View style={styles.buttons}>
        <Button label={t("submit")} testID="acknowledge-submit" onPress={() => void submit()} busy={busy} />
        <Button label={t("cancel")} testID="acknowledge-cancel" variant="secondary" onPress={onDone} />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  form: { gap: space.md, paddingTop: space.sm },
  heading: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  choices: { gap: space.sm },
  fieldError: { fontSize: fontSize.sm, color: colors.danger },
  buttons: { flexDirection: "row", flexWrap: "wrap", gap: space.sm },
});
