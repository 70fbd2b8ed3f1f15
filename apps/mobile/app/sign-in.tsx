import type { Locale } from "@rantai/ui/locales";
import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { KeyboardAvoidingView, Platform, ScrollView, StyleSheet, Text, type TextInput, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { LanguageSwitch } from "@/components/language-switch";
import { TextField } from "@/components/text-field";
import { useLocaleChoice } from "@/i18n/locale-provider";
import { useErrorMessage } from "@/i18n/use-error-message";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

export default function SignInScreen() {
  const t = useTranslations();
  const describeError = useErrorMessage();
  const trpc = useTRPC();
  const { startSession } = useSession();
  const { locale, chooseLocale } = useLocaleChoice();
  // The language on screen when this visit began: a change from it here is the user's own choice.
  const [localeOnArrival] = useState<Locale>(locale);
  const setLocale = useMutation(trpc.auth.setLocale.mutationOptions());
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const passwordRef = useRef<TextInput>(null);

  // Navigation happens through the route guards in _layout once the session
  // starts, so success needs no explicit redirect here. The language stored on the user
  // (chosen in the console or on another phone) applies, unless it was just chosen here:
  // then the user's record takes this choice, once the token is there to send it with.
  const signIn = useMutation(
    trpc.auth.signInMobile.mutationOptions({
      onSuccess: async ({ token, user }) => {
        const chosenHere = locale !== localeOnArrival;
        if (!chosenHere) await chooseLocale(user.locale);
        await startSession(token, user);
        if (chosenHere && user.locale !== locale) setLocale.mutate({ locale });
      },
    }),
  );

  const canSubmit = email.trim() !== "" && password !== "" && !signIn.isPending;
  const submit = () => {
    if (canSubmit) signIn.mutate({ email: email.trim(), password });
  };

  return (
    <SafeAreaView style={styles.safe}>
      <KeyboardAvoidingView style={styles.flex} behavior={Platform.OS === "ios" ? "padding" : undefined}>
        <ScrollView contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled">
          <View style={styles.card}>
            <View style={styles.titleRow}>
              <Text role="heading" style={styles.title}>
                {t("signIn.heading")}
              </Text>
              <LanguageSwitch />
            </View>
            <Text style={styles.subtitle}>{t("signIn.intro")}</Text>

            <TextField
              label={t("signIn.email")}
              testID="email-input"
              value={email}
              onChangeText={setEmail}
              autoCapitalize="none"
              autoCorrect={false}
              autoComplete="email"
              keyboardType="email-address"
              textContentType="username"
              inputMode="email"
              returnKeyType="next"
              onSubmitEditing={() => passwordRef.current?.focus()}
              submitBehavior="submit"
            />
            <TextField
              ref={passwordRef}
              label={t("signIn.password")}
              testID="password-input"
              value={password}
              onChangeText={setPassword}
              secureTextEntry
              autoCapitalize="none"
              autoComplete="current-password"
              textContentType="password"
              returnKeyType="go"
              onSubmitEditing={submit}
            />

            {signIn.error ? (
              <Text testID="sign-in-error" role="alert" aria-live="polite" style={styles.error}>
                {describeError(signIn.error)}
              </Text>
            ) : null}

            <Button
              label={t("signIn.submit")}
              testID="sign-in-button"
              onPress={submit}
              disabled={!canSubmit}
              busy={signIn.isPending}
            />
          </View>
        </ScrollView>
      </KeyboardAvoidingView>
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  flex: { flex: 1 },
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
  titleRow: { flexDirection: "row", alignItems: "center", justifyContent: "space-between", gap: space.md },
  title: { fontSize: fontSize.xl, fontWeight: "700", color: colors.ink },
  subtitle: { fontSize: fontSize.md, color: colors.inkMuted },
  error: {
    fontSize: fontSize.md,
    color: colors.danger,
    backgroundColor: colors.warmSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
});
