import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useRouter } from "expo-router";
import type { ReactNode } from "react";
import { StyleSheet, Text } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { useNow } from "@/hooks/use-now";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { useSync } from "@/sync/sync-provider";

/**
 * A stock-book form (discard, adjust, count, request): how old the phone's stock is, the form,
 * then what the last submission did (saved on the phone, or why it was refused) beside the
 * button, where the eye is after tapping it.
 */
export function StockBookForm({
  title,
  testIDPrefix,
  submitLabel,
  canSubmit,
  busy,
  onSubmit,
  done,
  error,
  children,
}: {
  title: string;
  testIDPrefix: string;
  submitLabel: string;
  canSubmit: boolean;
  busy: boolean;
  onSubmit: () => void;
  /** What the last submission saved, worded for staff. */
  done: string | null;
  error: string | null;
  children: ReactNode;
}) {
  const t = useTranslations("mobile.stockbook");
  const router = useRouter();
  return (
    <FormScreen title={title} cancelTestID={`${testIDPrefix}-cancel`} onCancel={() => router.dismissTo("/stock")}>
      <StockDataAge />
      {children}
      {done ? (
        <Text testID={`${testIDPrefix}-done`} role="status" aria-live="polite" style={styles.done}>
          {done} {t("saved")}
        </Text>
      ) : null}
      {error ? (
        <Text testID={`${testIDPrefix}-error`} role="alert" aria-live="polite" style={formStyles.error}>
          {error}
        </Text>
      ) : null}
      <Button
        label={submitLabel}
        testID={`${testIDPrefix}-submit`}
        onPress={onSubmit}
        disabled={!canSubmit}
        busy={busy}
      />
    </FormScreen>
  );
}

/** "Stock as this phone last heard it: 5 minutes ago", or that it has none yet; never a spinner. */
export function StockDataAge() {
  const t = useTranslations("mobile.stockbook");
  const format = usePhoneFormat();
  const { local } = useSync();
  const now = useNow(30_000);
  const at = local?.fetchedAt.stock;
  return (
    <Text testID="stock-data-age" style={formStyles.hint}>
      {at === undefined ? t("dataNone") : t("dataAge", { age: format.age(new Date(at), new Date(now)) })}
    </Text>
  );
}

const styles = StyleSheet.create({
  done: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
});
