import { focusManager, MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { AppState, Platform } from "react-native";
import { isSignedOut } from "@/lib/error-reason";
import { createApiClient, TRPCProvider } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

export function ApiProvider({ children }: { children: ReactNode }) {
  const { status, getToken, endSession } = useSession();

  // Built once: getToken and endSession are stable, and recreating the cache
  // would drop every query on each session change.
  const [queryClient] = useState(() => {
    const onError = (error: unknown) => {
      // Without a token this is a sign-in failure, which the form shows itself.
      if (getToken() !== null && isSignedOut(error)) void endSession();
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: {
          retry: (failureCount, error) => !isSignedOut(error) && failureCount < 2,
        },
      },
    });
  });
  const [trpcClient] = useState(() => createApiClient(getToken));

  useEffect(() => {
    // Removing also cancels in-flight requests, so a late sign-out answer from the
    // old session cannot end a new one, and the next user never sees old data.
    if (status === "signed-out") queryClient.removeQueries();
  }, [status, queryClient]);

  useEffect(() => {
    // React Query only knows browser focus; on native, refetch when the app
    // returns to the foreground instead.
    if (Platform.OS === "web") return;
    const subscription = AppState.addEventListener("change", (state) => {
      focusManager.setFocused(state === "active");
    });
    return () => subscription.remove();
  }, []);

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
