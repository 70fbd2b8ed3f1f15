import { useCallback, useState } from "react";

/**
 * Pull-to-refresh for a list: `refreshing` is true only while a refetch the user pulled for
 * runs, not during background refetches (which would make the spinner flicker).
 */
export function usePullRefresh(refetch: () => Promise<unknown>) {
  const [refreshing, setRefreshing] = useState(false);
  const onRefresh = useCallback(async () => {
    setRefreshing(true);
    try {
      await refetch();
    } finally {
      setRefreshing(false);
    }
  }, [refetch]);
  return { refreshing, onRefresh };
}
