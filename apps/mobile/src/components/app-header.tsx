import { colors, fontSize, space } from "@rantai/ui/tokens";
import { type Href, useRouter } from "expo-router";
import { useState } from "react";
import { Pressable, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { LanguageSwitch } from "@/components/language-switch";
import { SignOutDialog } from "@/components/sign-out-dialog";
import { SyncBar } from "@/components/sync-bar";
import type { Dataset } from "@/sync/local-store";

export type Section = "home" | "fridges" | "stock" | "deliveries";

const sections: readonly { key: Section; href: Href }[] = [
  { key: "home", href: "/home" },
  { key: "fridges", href: "/fridges" },
  { key: "stock", href: "/stock" },
  { key: "deliveries", href: "/deliveries" },
];

/**
 * The top of every signed-in screen: where you are, the other sections, the language, sign out,
 * and the sync bar for the datasets the screen shows.
 */
export function AppHeader({ current, datasets }: { current: Section; datasets: readonly Dataset[] }) {
  const t = useTranslations();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);

  return (
    <View style={styles.header}>
      <View style={styles.topRow}>
        <Text role="heading" style={styles.title}>
          {t(`mobile.sections.${current}`)}
        </Text>
        <View style={styles.actions}>
          <LanguageSwitch />
          <Button
            label={t("layout.signOut")}
            testID="sign-out-button"
            variant="secondary"
            onPress={() => setConfirming(true)}
          />
        </View>
      </View>
      <View role="tablist" aria-label={t("layout.sections")} style={styles.tabs}>
        {sections.map((section) => {
          const selected = section.key === current;
          return (
            <Pressable
              key={section.key}
              testID={`nav-${section.key}`}
              role="tab"
              aria-selected={selected}
              // dismissTo pops back to the section when it is under this screen and replaces
              // this screen otherwise, so switching sections never piles up history.
              onPress={() => {
                if (!selected) router.dismissTo(section.href);
              }}
              style={[styles.tab, selected && styles.tabSelected]}
            >
              <Text style={[styles.tabLabel, selected && styles.tabLabelSelected]}>
                {t(`mobile.sections.${section.key}`)}
              </Text>
            </Pressable>
          );
        })}
      </View>
      <SyncBar datasets={datasets} />
      <SignOutDialog visible={confirming} onClose={() => setConfirming(false)} />
    </View>
  );
}

const styles = StyleSheet.create({
  header: {
    backgroundColor: colors.surface,
    borderBottomWidth: 1,
    borderBottomColor: colors.border,
    paddingHorizontal: space.lg,
    paddingTop: space.md,
  },
  topRow: { flexDirection: "row", alignItems: "center", justifyContent: "space-between", gap: space.sm },
  // The title gives way first: "Lemari es" wraps before the switch or sign-out is squeezed.
  title: { flexShrink: 1, fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  actions: { flexDirection: "row", alignItems: "flex-start", gap: space.sm },
  tabs: { flexDirection: "row", marginTop: space.sm },
  tab: {
    minHeight: 48,
    // Four Indonesian labels share 360 px: each tab takes a quarter rather than its text's width.
    flexGrow: 1,
    flexBasis: 0,
    paddingHorizontal: space.xs,
    alignItems: "center",
    justifyContent: "center",
    borderBottomWidth: 3,
    borderBottomColor: "transparent",
  },
  tabSelected: { borderBottomColor: colors.brand },
  tabLabel: { fontSize: fontSize.md, fontWeight: "600", color: colors.inkMuted, textAlign: "center" },
  tabLabelSelected: { color: colors.brand },
});
