import { space } from "@rantai/ui/tokens";
import { useLocalSearchParams, useRouter } from "expo-router";
import { StyleSheet, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { ListScreen } from "@/components/list-screen";
import { SavedNotice } from "@/components/saved-notice";
import { StockBookLinks } from "@/components/stock-book-links";
import { StockRow } from "@/components/stock-row";
import { useStockBook } from "@/hooks/use-stock-book";

/** The facility's stock by item, from the phone's own copy: it shows at once what was just recorded, offline too. */
export default function StockScreen() {
  const t = useTranslations("mobile.stock");
  const router = useRouter();
  const { items } = useStockBook();
  // Set by the usage form when it returns here after saving on the phone.
  const { recorded, key } = useLocalSearchParams<{ recorded?: string; key?: string }>();

  return (
    <ListScreen
      current="stock"
      datasets={["stock", "reference"]}
      loadingLabel={t("loading")}
      items={items}
      keyOf={(item) => String(item.itemId)}
      renderItem={(item) => <StockRow item={item} />}
      notice={<SavedNotice text={recorded} idempotencyKey={key} testID="usage-success" />}
      actions={
        // The stock book's actions; each records through the phone's queue.
        <View testID="stock-actions" role="group" aria-label={t("actions")} style={styles.actions}>
          <Button label={t("recordUsage")} testID="record-usage-button" onPress={() => router.push("/record-usage")} />
          <StockBookLinks />
        </View>
      }
      emptyText={t("empty")}
    />
  );
}

const styles = StyleSheet.create({
  actions: { gap: space.sm },
});
