"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useTRPC } from "~/trpc/react";
import { LanguageSwitch } from "./language-switch";

const sections = [
  { href: "/overview", label: "overview" },
  { href: "/facilities", label: "facilities" },
  { href: "/", label: "coldChain" },
  { href: "/stock", label: "stock" },
  { href: "/reports", page: "reports" },
] as const;

export function TopBar() {
  const t = useTranslations("layout");
  // Newer sections are named by their page title (meta.pages).
  const tPages = useTranslations("meta.pages");
  const trpc = useTRPC();
  const pathname = usePathname();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <header className="topbar">
      <nav aria-label={t("sections")} style={{ display: "flex", gap: 20, alignItems: "center" }}>
        <span className="brand">Rantai</span>
        {sections.map((section) => (
          <Link
            key={section.href}
            href={section.href}
            className="nav-link"
            aria-current={pathname === section.href ? "page" : undefined}
          >
            {"page" in section ? tPages(section.page) : t(section.label)}
          </Link>
        ))}
      </nav>
      <span className="who" data-testid="signed-in-as">
        {me.data
          ? t("signedInAs", { name: me.data.name, role: t(`roles.${me.data.role}`), unit: me.data.orgUnitName })
          : ""}
      </span>
      <LanguageSwitch signedIn />
      <button type="button" onClick={() => void signOut({ callbackUrl: "/login" })}>
        {t("signOut")}
      </button>
    </header>
  );
}
