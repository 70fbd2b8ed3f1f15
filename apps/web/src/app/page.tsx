import { redirect } from "next/navigation";

/** The console opens on the overview of the user's area; the cold-chain board is at /cold-chain. */
export default function HomePage() {
  redirect("/overview");
}
