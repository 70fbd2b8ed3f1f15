import { colors, fontSize, space } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { SectionList, StyleSheet, Text } from "react-native";
import { useTranslations } from "use-intl";
import { type Fridge, FridgeCard } from "@/components/fridge-card";
import { ListScreenFrame, listScreenStyles, useListBehaviour } from "@/components/list-screen";
import { StaleBanner } from "@/components/query-states";
import { useNow } from "@/hooks/use-now";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

const REFETCH_MS = 10_000;

interface FacilitySection {
  facilityId: number;
  title: string;
  data: Fridge[];
}

// Facility staff see one facility, but district and province users may see
// several, so fridges are grouped under their facility rather than assuming one.
function groupByFacility(fridges: readonly Fridge[]): FacilitySection[] {
  const sections = new Map<number, FacilitySection>();
  for (const fridge of fridges) {
    const section = sections.get(fridge.facilityId);
    if (section) section.data.push(fridge);
    else sections.set(fridge.facilityId, { facilityId: fridge.facilityId, title: fridge.facilityName, data: [fridge] });
  }
  return [...sections.values()];
}

export default function FridgesScreen() {
  const t = useTranslations("mobile.fridges");
  const trpc = useTRPC();
  const { status } = useSession();
  const now = useNow(REFETCH_MS);

  const fridges = useQuery(
    trpc.coldchain.listFridges.queryOptions(
      {},
      // Disabled once signed out so the screen cannot refetch without a token
      // while the route guard is still navigating away.
      { refetchInterval: REFETCH_MS, enabled: status === "signed-in" },
    ),
  );
  const sections = useMemo(() => groupByFacility(fridges.data?.items ?? []), [fridges.data]);
  const hasMore = fridges.data?.nextCursor != null;

  const behaviour = useListBehaviour(fridges);

  return (
    <ListScreenFrame current="fridges" query={fridges} loadingLabel={t("loading")}>
      <SectionList
        sections={sections}
        keyExtractor={(fridge) => String(fridge.equipmentId)}
        renderItem={({ item }) => <FridgeCard fridge={item} now={now} />}
        renderSectionHeader={({ section }) => (
          <Text testID="facility-name" role="heading" style={styles.facility}>
            {section.title}
          </Text>
        )}
        ListHeaderComponent={<StaleBanner query={fridges} />}
        ListEmptyComponent={<Text style={listScreenStyles.empty}>{t("empty")}</Text>}
        ListFooterComponent={
          // Paging is left for later: a facility has a handful of fridges,
          // and only district-wide users can exceed one page.
          hasMore ? (
            <Text style={listScreenStyles.empty}>{t("firstPage", { count: fridges.data?.items.length ?? 0 })}</Text>
          ) : null
        }
        stickySectionHeadersEnabled={false}
        {...behaviour}
      />
    </ListScreenFrame>
  );
}

const styles = StyleSheet.create({
  facility: { fontSize: fontSize.xl, fontWeight: "700", color: colors.ink, marginBottom: space.md },
});
