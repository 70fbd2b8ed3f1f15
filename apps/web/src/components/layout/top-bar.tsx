"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTRPC } from "~/trpc/react";

const roleLabels = {
  national_admin: "National admin",
  province_officer: "Province officer",
  district_officer: "District officer",
  facility_staff: "Facility staff",
  viewer: "Viewer",
} as const;

const sections = [
  { href: "/", label: "Cold chain" },
  { href: "/stock", label: "Stock" },
] as const;

export function TopBar() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <header className="topbar">
      <nav aria-label="Sections" style={{ display: "flex", gap: 20, alignItems: "center" }}>
        <span className="brand">Rantai</span>
        {sections.map((section) => (
          <Link
            key={section.href}
            href={section.href}
            className="nav-link"
            aria-current={pathname === section.href ? "page" : undefined}
          >
            {section.label}
          </Link>
        ))}
      </nav>
      <span className="who" data-testid="signed-in-as">
        {me.data ? `${me.data.name} · ${roleLabels[me.data.role]} · ${me.data.orgUnitName}` : ""}
      </span>
      <button type="button" onClick={() => void signOut({ callbackUrl: "/login" })}>
        Sign out
      </button>
    </header>
  );
}
