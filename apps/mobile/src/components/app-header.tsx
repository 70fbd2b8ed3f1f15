import { colors, fontSize, space } from "@rantai/ui/tokens";
import { type Href, useRouter } from "expo-router";
import { Pressable, StyleSheet, Text, View } from "react-native";
import { Button } from "@/components/button";
import { useSignOut } from "@/hooks/use-sign-out";

export type Section = "fridges" | "stock" | "deliveries";

const sections: readonly { key: Section; label: string; href: Href }[] = [
  { key: "fridges", label: "Fridges", href: "/fridges" },
  { key: "stock", label: "Stock", href: "/stock" },
  { key: "deliveries", label: "Deliveries", href: "/deliveries" },
];

/** The top of every signed-in screen: where you are, the other section, and sign out. */
export function AppHeader({ current }: { current: Section }) {
  const router = useRouter();
  const { signOut, isPending } = useSignOut();
  const title = sections.find((section) => section.key === current)?.label ?? "";

  return (
    <View style={styles.header}>
      <View style={styles.topRow}>
        <Text role="heading" style={styles.title}>
          {title}
        </Text>
        <Button label="Sign out" testID="sign-out-button" variant="secondary" onPress={signOut} busy={isPending} />
      </View>
      <View role="tablist" style={styles.tabs}>
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
              <Text style={[styles.tabLabel, selected && styles.tabLabelSelected]}>{section.label}</Text>
            </Pressable>
          );
        })}
      </View>
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
  topRow: { flexDirection: "row", alignItems: "center", justifyContent: "space-between" },
  title: { fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  tabs: { flexDirection: "row", gap: space.sm, marginTop: space.sm },
  tab: {
    minHeight: 44,
    paddingHorizontal: space.lg,
    justifyContent: "center",
    borderBottomWidth: 3,
    borderBottomColor: "transparent",
  },
  tabSelected: { borderBottomColor: colors.brand },
  tabLabel: { fontSize: fontSize.md, fontWeight: "600", color: colors.inkMuted },
  tabLabelSelected: { color: colors.brand },
});
