import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useNow } from "@/hooks/use-now";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";
import { userDeviceStore } from "@/sync/device-storage";
import { useSync } from "@/sync/sync-provider";
import { type ChartRange, type ChartSeries, PHONE_MAX_RAW_POINTS, rangeMs, toChartSeries } from "./chart-series";
import { SeriesStore, type StoredSeries } from "./series-store";

/** The window moves on every 5 minutes, so the chart follows the fridge without asking each render. */
const WINDOW_STEP_MS = 5 * 60_000;

export interface FridgeSeriesState {
  /** What to draw: the answer just fetched, else the one stored on the device; null when neither. */
  series: ChartSeries | null;
  /** When the series drawn was fetched (device time); null while none is shown. */
  fetchedAt: number | null;
  /** Fetching with nothing to show yet: only ever true online, so the chart never spins offline. */
  loading: boolean;
  /** The last fetch failed (shown beside the stored series, or instead of it when none is stored). */
  error: unknown;
  online: boolean;
}

/**
 * One fridge's temperature series for a range: asked online (few points, see PHONE_MAX_RAW_POINTS),
 * each answer kept on the device, and the kept one shown offline or while a new one loads.
 */
export function useFridgeSeries(fridgeId: number, range: ChartRange): FridgeSeriesState {
  const trpc = useTRPC();
  const { status, user } = useSession();
  const { online } = useSync();
  const now = useNow(WINDOW_STEP_MS);
  const userId = user?.id ?? null;
  const store = useMemo(() => (userId === null ? null : new SeriesStore(userDeviceStore(userId))), [userId]);
  const [stored, setStored] = useState<{ key: string; entry: StoredSeries | null } | null>(null);
  const storeKey = `${fridgeId}:${range}`;

  const to = Math.ceil(now / WINDOW_STEP_MS) * WINDOW_STEP_MS;
  const query = useQuery(
    trpc.coldchain.temperatureSeries.queryOptions(
      {
        equipmentId: fridgeId,
        from: new Date(to - rangeMs[range]),
        to: new Date(to),
        maxRawPoints: PHONE_MAX_RAW_POINTS,
      },
      {
        enabled: status === "signed-in" && online,
        placeholderData: keepPreviousData,
        staleTime: WINDOW_STEP_MS,
        retry: 1,
      },
    ),
  );

  useEffect(() => {
    if (!store) return;
    let cancelled = false;
    store
      .read(fridgeId, range)
      .then((entry) => {
        if (!cancelled) setStored({ key: storeKey, entry });
      })
      .catch(() => {
        if (!cancelled) setStored({ key: storeKey, entry: null });
      });
    return () => {
      cancelled = true;
    };
  }, [store, fridgeId, range, storeKey]);

  // Only an answer for this fridge and range (not the previous one kept on screen meanwhile) is stored.
  const fresh = query.data && !query.isPlaceholderData && query.data.equipmentId === fridgeId ? query.data : null;
  const fetchedAt = fresh ? query.dataUpdatedAt : null;
  useEffect(() => {
    if (!store || !fresh || fetchedAt === null) return;
    const entry = { fetchedAt, series: toChartSeries(fresh) };
    // A failed write only costs the offline copy; the chart on screen is unaffected.
    store.write(fridgeId, range, entry).catch(() => undefined);
  }, [store, fresh, fetchedAt, fridgeId, range]);

  const kept = stored?.key === storeKey ? stored.entry : null;
  const fetched = useMemo(() => (fresh ? toChartSeries(fresh) : null), [fresh]);
  const shown = fetched && fetchedAt !== null ? { series: fetched, fetchedAt } : kept;
  return {
    series: shown?.series ?? null,
    fetchedAt: shown?.fetchedAt ?? null,
    loading: online && !shown && !query.isError && (query.isPending || query.isFetching),
    error: query.error,
    online,
  };
}
