import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useLocalSearchParams, useRouter } from "expo-router";
import { FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { AppHeader } from "@/components/app-header";
import { Button } from "@/components/button";
import { formStyles } from "@/components/form-screen";
import { listScreenStyles } from "@/components/list-screen";
import { ListSeparator } from "@/components/query-states";
import { useNow } from "@/hooks/use-now";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { useRejectionMessage } from "@/i18n/use-rejection-message";
import { type ShownRequest, shownRequests } from "@/lib/stock-book";
import { LocalRejection } from "@/sync/optimistic";
import { useSync } from "@/sync/sync-provider";

/**
 * The facility's stock requests and where each stands: still on the phone (waiting to be sent,
 * or refused with why), then as the server last told it (submitted, approved, shipped…), from
 * the local store, so the list opens offline and says how old it is.
 */
export default function RequestsScreen() {
  const t = useTranslations("mobile.stockbook");
  const router = useRouter();
  const format = usePhoneFormat();
  const now = useNow(30_000);
  const { local } = useSync();
  // Set by the request form when it queued a request and came here.
  const { sent } = useLocalSearchParams<{ sent?: string }>();
  const rows = local ? shownRequests(local) : [];
  const fetchedAt = local?.fetchedAt.requests;

  return (
    <SafeAreaView style={listScreenStyles.safe}>
      <AppHeader current="stock" datasets={["requests"]} />
      <FlatList
        data={rows}
        keyExtractor={(row) => (row.state === "pulled" ? `request-${row.request.id}` : row.idempotencyKey)}
        renderItem={({ item }) => <RequestCard row={item} />}
        ItemSeparatorComponent={ListSeparator}
        contentContainerStyle={listScreenStyles.list}
        ListHeaderComponent={
          <View style={styles.header}>
            <Text role="heading" style={styles.title}>
              {t("requests.title")}
            </Text>
            <Text testID="requests-data-age" style={formStyles.hint}>
              {fetchedAt === undefined
                ? t("dataNone")
                : t("dataAge", { age: format.age(new Date(fetchedAt), new Date(now)) })}
            </Text>
            {sent ? (
              <Text testID="requests-sent" role="status" style={styles.sent}>
                {sent} {t("saved")}
              </Text>
            ) : null}
            <Button label={t("requests.new")} testID="requests-new" onPress={() => router.push("/request")} />
            <Button
              label={t("requests.back")}
              testID="requests-back"
              variant="secondary"
              onPress={() => router.dismissTo("/stock")}
            />
          </View>
        }
        ListEmptyComponent={<Text style={listScreenStyles.empty}>{t("requests.empty")}</Text>}
      />
    </SafeAreaView>
  );
}

function RequestCard({ row }: { row: ShownRequest }) {
  const t = useTranslations("mobile.stockbook.requests");
  const format = usePhoneFormat();
  const describeRejection = useRejectionMessage();
  const { local } = useSync();
  const itemName = (itemId: number) => local?.data.reference?.items.find((item) => item.id === itemId)?.name ?? "";
  if (row.state !== "pulled") {
    return (
      <View testID="request-card" style={styles.card}>
        <View style={styles.titleRow}>
          <Text style={styles.name}>{t("onPhone")}</Text>
          <Text testID="request-status" style={[styles.status, row.state === "rejected" && styles.statusBad]}>
            {t(row.state === "waiting" ? "status.waiting" : "status.refused")}
          </Text>
        </View>
        {row.lines.map((line) => (
          <Text key={line.itemId} style={formStyles.hint}>
            {t("line", { item: itemName(line.itemId), requested: line.requestedDoses })}
          </Text>
        ))}
        {row.refusal ? (
          <Text role="alert" style={styles.refusal}>
            {describeRejection(new LocalRejection(row.refusal.reason, row.refusal.params))}
          </Text>
        ) : null}
      </View>
    );
  }
  const { request } = row;
  return (
    <View testID="request-card" style={styles.card}>
      <View style={styles.titleRow}>
        <Text style={styles.name}>{t("request", { id: `#${request.id}` })}</Text>
        <Text testID="request-status" style={[styles.status, request.status === "rejected" && styles.statusBad]}>
          {t(`status.${request.status}`)}
        </Text>
      </View>
      {request.submittedAt ? (
        <Text style={formStyles.hint}>
          {t("submittedAt", { time: format.facilityTime(new Date(request.submittedAt)) })}
        </Text>
      ) : null}
      {request.decidedAt ? (
        <Text style={formStyles.hint}>
          {t("decidedAt", { time: format.facilityTime(new Date(request.decidedAt)) })}
        </Text>
      ) : null}
      {request.lines.map((line) =>
        line.approvedDoses === null ? (
          <Text key={line.itemId} style={formStyles.hint}>
            {t("line", { item: itemName(line.itemId), requested: line.requestedDoses })}
          </Text>
        ) : (
          <Text key={line.itemId} style={formStyles.hint}>
            {t("lineApproved", {
              item: itemName(line.itemId),
              requested: line.requestedDoses,
              approved: line.approvedDoses,
            })}
          </Text>
        ),
      )}
      {request.rejectionReason ? (
        <Text style={styles.refusal}>{t("rejectionReason", { reason: request.rejectionReason })}</Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  header: { gap: space.md, marginBottom: space.md },
  title: { fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  sent: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
  card: {
    gap: space.xs,
    padding: space.lg,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
  },
  titleRow: { flexDirection: "row", alignItems: "flex-start", justifyContent: "space-between", gap: space.sm },
  name: { flex: 1, fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  status: {
    fontSize: fontSize.sm,
    fontWeight: "700",
    color: colors.ink,
    backgroundColor: colors.okSoft,
    paddingHorizontal: space.sm,
    paddingVertical: 2,
    borderRadius: radius.sm,
    overflow: "hidden",
  },
  statusBad: { color: colors.danger, backgroundColor: colors.warmSoft },
  refusal: { fontSize: fontSize.sm, color: colors.danger },
});
