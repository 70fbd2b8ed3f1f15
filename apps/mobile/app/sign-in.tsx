import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { KeyboardAvoidingView, Platform, ScrollView, StyleSheet, Text, type TextInput, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { Button } from "@/components/button";
import { TextField } from "@/components/text-field";
import { describeError } from "@/lib/api-error";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

export default function SignInScreen() {
  const trpc = useTRPC();
  const { startSession } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const passwordRef = useRef<TextInput>(null);

  // Navigation happens through the route guards in _layout once the session
  // starts, so success needs no explicit redirect here.
  const signIn = useMutation(
    trpc.auth.signInMobile.mutationOptions({
      onSuccess: ({ token }) => startSession(token),
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
            <Text role="heading" style={styles.title}>
              Rantai
            </Text>
            <Text style={styles.subtitle}>Sign in to see your facility's fridges.</Text>

            <TextField
              label="Email"
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
              label="Password"
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
              label="Sign in"
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
