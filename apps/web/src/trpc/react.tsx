"use client";

import type { AppRouter } from "@rantai/api";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // A request refused as signed out means the session ended on the server (signed out
        // elsewhere, disabled): go to the sign-in page with a message instead of a half-signed-in page.
        queryCache: new QueryCache({ onError: leaveIfSignedOut }),
        mutationCache: new MutationCache({ onError: leaveIfSignedOut }),
        defaultOptions: {
          queries: { staleTime: 2_000, retry: (failures, error) => failures < 2 && !isAuthError(error) },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Subscriptions (the live alarm inbox) stream over SSE from the same endpoint; the browser's
        // EventSource reconnects by itself, and the server ends each stream after a few minutes.
        splitLink({
          condition: (operation) => operation.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
          false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 10 }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function leaveIfSignedOut(error: unknown): void {
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  if (code === "UNAUTHORIZED" && window.location.pathname !== "/login") window.location.assign("/login?ended=1");
}

function isAuthError(error: unknown): boolean {
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  return code === "UNAUTHORIZED" || code === "FORBIDDEN";
}
