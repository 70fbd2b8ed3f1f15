import { space } from "@rantai/ui/tokens";
import { type Href, useRouter } from "expo-router";
import { StyleSheet, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";

type Link = "discard" | "adjust" | "count" | "request" | "requests";
const links: readonly { key: Link; href: Href }[] = [
  { key: "discard", href: "/discard" },
  { key: "adjust", href: "/adjust" },
  { key: "count", href: "/count" },
  { key: "request", href: "/request" },
  { key: "requests", href: "/requests" },
];

/** The stock book's other forms, as a wrapping row of buttons under the stock screen's main action. */
export function StockBookLinks() {
  const t = useTranslations("mobile.stockbook.links");
  const router = useRouter();
  return (
    <View role="group" aria-label={t("group")} style={styles.row}>
      {links.map((link) => (
        <View key={link.key} style={styles.cell}>
          <Button
            label={t(link.key)}
            testID={`stockbook-${link.key}`}
            variant="secondary"
            onPress={() => router.push(link.href)}
          />
        </View>
      ))}
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: "row", flexWrap: "wrap", gap: space.sm },
  // Two to a row on a 360-px phone, so Indonesian labels fit without shrinking the targets.
  cell: { flexGrow: 1, flexBasis: "45%" },
});
