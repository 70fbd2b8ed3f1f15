import { redirect } from "next/navigation";
import { ColdChainBoard } from "~/components/coldchain/cold-chain-board";
import { TopBar } from "~/components/top-bar";
import { getSessionUserId } from "~/server/auth";

export default async function HomePage() {
  if (!(await getSessionUserId())) redirect("/login");
  return (
    <>
      <TopBar />
      <main>
        <ColdChainBoard />
      </main>
    </>
  );
}
