import type { Actor } from "@rantai/core/auth";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getConsoleSession, getSessionActor } from "~/server/auth";
import { TopBar } from "./top-bar";

/**
 * The signed-in user of a console page, or a redirect to the sign-in page: with the "session
 * ended" message when the cookie still names a session the server no longer honours (signed out
 * elsewhere, disabled, password reset, role changed), so no page renders half signed in.
 */
export async function requireConsoleActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (actor) return actor;
  redirect((await getConsoleSession()) ? "/login?ended=1" : "/login");
}

/** Every signed-in console page: the session check, the top bar and the content column. */
export async function ConsolePage({ children }: { children: ReactNode }) {
  await requireConsoleActor();
  return (
    <>
      <TopBar />
      <main>{children}</main>
    </>
  );
}
