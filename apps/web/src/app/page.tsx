import { ColdChainBoard } from "~/components/coldchain/cold-chain-board";
import { ConsolePage } from "~/components/layout/console-page";

export default function HomePage() {
  return (
    <ConsolePage>
      <ColdChainBoard />
    </ConsolePage>
  );
}
