import { colors } from "@rantai/ui/tokens";
import { Stack } from "expo-router";
import { StatusBar } from "expo-status-bar";
import { ActivityIndicator, StyleSheet, View } from "react-native";
import { useTranslations } from "use-intl";
import { LocaleProvider, useLocaleChoice } from "@/i18n/locale-provider";
import { ApiProvider } from "@/lib/api-provider";
import { SessionProvider, useSession } from "@/session/session-provider";
import { VersionGate } from "@/session/version-gate";
import { SyncProvider } from "@/sync/sync-provider";

export default function RootLayout() {
  return (
    <LocaleProvider>
      <SessionProvider>
        <ApiProvider>
          <StatusBar style="dark" />
          <VersionGate>
            <SyncProvider>
              <RootNavigator />
            </SyncProvider>
          </VersionGate>
        </ApiProvider>
      </SessionProvider>
    </LocaleProvider>
  );
}

function RootNavigator() {
  const t = useTranslations();
  const { status } = useSession();
  const { ready } = useLocaleChoice();

  // Deciding routes before the stored token is read would flash the sign-in
  // screen for users who are already signed in; showing one before the stored
  // language is read would flash it in the other language.
  if (status === "loading" || !ready) {
    return (
      <View style={styles.loading}>
        <ActivityIndicator size="large" color={colors.brand} aria-label={t("common.loading")} />
      </View>
    );
  }

  const signedIn = status === "signed-in";
  return (
    <Stack screenOptions={{ headerShown: false, contentStyle: { backgroundColor: colors.canvas } }}>
      <Stack.Screen name="index" />
      <Stack.Protected guard={!signedIn}>
        <Stack.Screen name="sign-in" />
      </Stack.Protected>
      <Stack.Protected guard={signedIn}>
        <Stack.Screen name="home" />
        <Stack.Screen name="fridges" />
        <Stack.Screen name="fridge/[id]" />
        <Stack.Screen name="stock" />
        <Stack.Screen name="record-usage" />
        <Stack.Screen name="deliveries" />
        <Stack.Screen name="receive-shipment" />
        <Stack.Screen name="rejected" />
        <Stack.Screen name="discard" />
        <Stack.Screen name="adjust" />
        <Stack.Screen name="count" />
        <Stack.Screen name="request" />
        <Stack.Screen name="requests" />
      </Stack.Protected>
    </Stack>
  );
}

const styles = StyleSheet.create({
  loading: { flex: 1, alignItems: "center", justifyContent: "center", backgroundColor: colors.canvas },
});
