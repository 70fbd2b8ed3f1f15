import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ColdChainBoard } from "~/components/coldchain/cold-chain-board";
import { ConsolePage } from "~/components/layout/console-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta.pages"))("coldChain") };
}

export default function HomePage() {
  return (
    <ConsolePage>
      <ColdChainBoard />
    </ConsolePage>
  );
}
