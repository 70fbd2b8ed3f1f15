import type { Metadata } from "next";
import { Suspense } from "react";
import { ColdChainBoard } from "~/components/coldchain/cold-chain-board";
import { ConsolePage } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("coldChain");
}

export default function ColdChainPage() {
  return (
    <ConsolePage>
      <Suspense>
        <ColdChainBoard />
      </Suspense>
    </ConsolePage>
  );
}
