import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import Constants from "expo-constants";
import { type ReactNode, useEffect, useRef } from "react";
import { ScrollView, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { useLocaleChoice } from "@/i18n/locale-provider";
import { useTRPC } from "@/lib/trpc";
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
  const trpc = useTRPC();
  const { status } = useSession();
  const { ready } = useLocaleChoice();
  const compatibility = useQuery(
    trpc.app.compatibility.queryOptions(
      { version: appVersion ?? "" },
      { enabled: appVersion !== null, staleTime: Number.POSITIVE_INFINITY },
    ),
  );
  const { refetch } = compatibility;

  // A sign-in asks again (the minimum may have been raised since launch); a stored session read
  // at launch does not, the launch's own question covers it.
  const previousStatus = useRef(status);
  useEffect(() => {
    if (previousStatus.current === "signed-out" && status === "signed-in") void refetch();
    previousStatus.current = status;
  }, [status, refetch]);

  // Until the stored language is read the navigator shows its spinner: the notice waits for it.
  if (!ready || compatibility.data?.supported !== false) return children;
  return (
    <SafeAreaView style={styles.safe}>
      <ScrollView contentContainerStyle={styles.content}>
        <View style={styles.card} testID="update-required">
          <Text role="heading" style={styles.title}>
            {t("mobile.update.title")}
          </Text>
          <Text role="alert" style={styles.body}>
            {t("mobile.update.tooOld", { version: appVersion ?? "", minimum: compatibility.data.minimumVersion })}
          </Text>
          <Text style={styles.body}>{t("mobile.update.howTo")}</Text>
          <Button
            label={t("mobile.update.checkAgain")}
            variant="secondary"
            onPress={() => void refetch()}
            busy={compatibility.isFetching}
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
