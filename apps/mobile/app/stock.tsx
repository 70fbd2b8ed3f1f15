import { useQuery } from "@tanstack/react-query";
import { useLocalSearchParams, useRouter } from "expo-router";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { ListScreen } from "@/components/list-screen";
import { StockBookLinks } from "@/components/stock-book-links";
import { StockRow } from "@/components/stock-row";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

export default function StockScreen() {
  const t = useTranslations("mobile.stock");
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useSession();
  // Set by the usage form when it returns here after the server confirmed.
  const { recorded } = useLocalSearchParams<{ recorded?: string }>();

  // Without an org unit the server answers for the signed-in user's own facility.
  const summary = useQuery(trpc.stock.facilitySummary.queryOptions({}, { enabled: status === "signed-in" }));

  return (
    <ListScreen
      current="stock"
      query={summary}
      loadingLabel={t("loading")}
      items={summary.data?.items ?? []}
      keyOf={(item) => String(item.itemId)}
      renderItem={(item) => <StockRow item={item} />}
      confirmation={{ text: recorded, testID: "usage-success" }}
      actions={
        <>
          <Button label={t("recordUsage")} testID="record-usage-button" onPress={() => router.push("/record-usage")} />
          <StockBookLinks />
        </>
      }
      emptyText={t("empty")}
    />
  );
}
