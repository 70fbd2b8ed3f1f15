import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionUserId } from "~/server/auth";
import { TopBar } from "./top-bar";

/** Every signed-in console page: the session check, the top bar and the content column. */
export async function ConsolePage({ children }: { children: ReactNode }) {
  if (!(await getSessionUserId())) redirect("/login");
  return (
    <>
      <TopBar />
      <main>{children}</main>
    </>
  );
}
