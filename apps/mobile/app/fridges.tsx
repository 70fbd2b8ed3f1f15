import { colors, fontSize, space } from "@rantai/ui/tokens";
import { useMemo } from "react";
import { SectionList, StyleSheet, Text } from "react-native";
import { useTranslations } from "use-intl";
import { type Fridge, FridgeCard } from "@/components/fridge-card";
import { ListScreenFrame, listScreenStyles, useListBehaviour } from "@/components/list-screen";
import { useNow } from "@/hooks/use-now";
import { trendOf } from "@/lib/fridge-trend";
import { fridgeAlarmOf } from "@/lib/home-summary";
import { useSync } from "@/sync/sync-provider";

/** Ages of readings are reworded this often; the readings themselves come with each pull. */
const AGE_TICK_MS = 10_000;

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

/** The facility's fridges and their latest reading, from the phone's copy (pulled every minute while connected). */
export default function FridgesScreen() {
  const t = useTranslations("mobile.fridges");
  const { local } = useSync();
  const now = useNow(AGE_TICK_MS);
  const sections = useMemo(() => groupByFacility(local?.data.fridges ?? []), [local]);
  const alarms = useMemo(() => Object.values(local?.data.alarms ?? {}), [local]);
  const behaviour = useListBehaviour();

  return (
    <ListScreenFrame current="fridges" datasets={["fridges", "alarms"]} loadingLabel={t("loading")}>
      <SectionList
        sections={sections}
        keyExtractor={(fridge) => String(fridge.equipmentId)}
        renderItem={({ item }) => (
          <FridgeCard
            fridge={item}
            now={now}
            status={{ trend: trendOf(item.latest, item.earlier), alarm: fridgeAlarmOf(alarms, item.equipmentId) }}
          />
        )}
        renderSectionHeader={({ section }) => (
          <Text testID="facility-name" role="heading" style={styles.facility}>
            {section.title}
          </Text>
        )}
        ListEmptyComponent={<Text style={listScreenStyles.empty}>{t("empty")}</Text>}
        stickySectionHeadersEnabled={false}
        {...behaviour}
      />
    </ListScreenFrame>
  );
}

const styles = StyleSheet.create({
  facility: { fontSize: fontSize.xl, fontWeight: "700", color: colors.ink, marginBottom: space.md },
});
