"use client";

import { useQuery } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useTRPC } from "~/trpc/react";

const roleLabels = {
  national_admin: "National admin",
  province_officer: "Province officer",
  district_officer: "District officer",
  facility_staff: "Facility staff",
  viewer: "Viewer",
} as const;

export function TopBar() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <header className="topbar">
      <span className="brand">Rantai</span>
      <span className="who" data-testid="signed-in-as">
        {me.data ? `${me.data.name} · ${roleLabels[me.data.role]} · ${me.data.orgUnitName}` : ""}
      </span>
      <button type="button" onClick={() => void signOut({ callbackUrl: "/login" })}>
        Sign out
      </button>
    </header>
  );
}
