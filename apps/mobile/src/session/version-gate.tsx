import type { RouterOutputs } from "@rantai/api";
import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import Constants from "expo-constants";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { ScrollView, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { useLocaleChoice } from "@/i18n/locale-provider";
import { useTRPCClient } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

/** This build's own version (app.json `expo.version`); null only if the build lost its manifest. */
const appVersion: string | null = Constants.expoConfig?.version ?? null;

/**
 * Asks the server whether this version of the app is still supported, at launch and again at each
 * sign-in, and stands in front of the app only when the server answers "no". Offline, or a server
 * that cannot answer, blocks nothing: staff must keep recording with no signal, and the last
 * answer received stays in force until a new one arrives.
 */
export function VersionGate({ children }: { children: ReactNode }) {
  const t = useTranslations();
  const client = useTRPCClient();
  const { status } = useSession();
  const { ready } = useLocaleChoice();
  // Asked through the client, not the query cache: the cache is emptied at every sign-out (and
  // when launch finds no session), which would cancel the question and forget the answer.
  const [answer, setAnswer] = useState<RouterOutputs["app"]["compatibility"] | null>(null);
  const [checking, setChecking] = useState(false);

  const check = useCallback(async () => {
    if (appVersion === null) return;
    setChecking(true);
    try {
      setAnswer(await client.app.compatibility.query({ version: appVersion }));
    } catch {
      // Offline, or a server that cannot answer: nothing is blocked, the last answer stands.
    } finally {
      setChecking(false);
    }
  }, [client]);

  useEffect(() => {
    void check();
  }, [check]);

  // A sign-in asks again (the minimum may have been raised since launch); a stored session read
  // at launch does not, the launch's own question covers it.
  const previousStatus = useRef(status);
  useEffect(() => {
    if (previousStatus.current === "signed-out" && status === "signed-in") void check();
    previousStatus.current = status;
  }, [status, check]);

  // Until the stored language is read the navigator shows its spinner: the notice waits for it.
  if (!ready || answer?.supported !== false) return children;
  return (
    <SafeAreaView style={styles.safe}>
      <ScrollView contentContainerStyle={styles.content}>
        <View style={styles.card} testID="update-required">
          <Text role="heading" style={styles.title}>
            {t("mobile.update.title")}
          </Text>
          <Text role="alert" style={styles.body}>
            {t("mobile.update.tooOld", { version: appVersion ?? "", minimum: answer.minimumVersion })}
          </Text>
          <Text style={styles.body}>{t("mobile.update.howTo")}</Text>
          <Button
            label={t("mobile.update.checkAgain")}
            variant="secondary"
            onPress={() => void check()}
            busy={checking}
          />
        </View>
      </ScrollView>
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  content: { flexGrow: 1, justifyContent: "center", padding: space.lg },
  card: {
    gap: space.lg,
    padding: space.xl,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    width: "100%",
    maxWidth: 420,
    alignSelf: "center",
  },
  title: { fontSize: fontSize.xl, fontWeight: "700", color: colors.ink },
  body: { fontSize: fontSize.md, color: colors.ink },
});
