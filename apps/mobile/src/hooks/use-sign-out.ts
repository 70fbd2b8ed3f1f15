import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { forgetDevicePhotos } from "@/photos/use-shipment-photos";
import { useSession } from "@/session/session-provider";

/** Signs out on the server, then locally whatever the server said. */
export function useSignOut() {
  const trpc = useTRPC();
  const { endSession } = useSession();
  const signOut = useMutation(trpc.auth.signOutMobile.mutationOptions());
  // The local session ends even if the server is unreachable, so a shared
  // phone can always be handed over; the token then lapses at its expiry.
  const run = () =>
    signOut.mutate(undefined, { onSettled: () => void forgetDevicePhotos().finally(() => void endSession()) });
  return { signOut: run, isPending: signOut.isPending };
}
