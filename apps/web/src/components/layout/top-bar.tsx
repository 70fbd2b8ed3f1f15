"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { signOutToLogin } from "~/components/auth/session-requests";
import { useTRPC } from "~/trpc/react";
import { LanguageSwitch } from "./language-switch";

/** The console's sections, each named by its page title (meta.pages); a section owns the paths under it. */
const sections = [
  { href: "/overview", page: "overview" },
  { href: "/facilities", page: "facilities" },
  { href: "/cold-chain", page: "coldChain" },
  { href: "/alarms", page: "alarms" },
  { href: "/stock", page: "stock" },
  { href: "/distribution", page: "distribution" },
  { href: "/store", page: "store" },
  { href: "/reports", page: "reports" },
  { href: "/admin", page: "administration" },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function TopBar() {
  const t = useTranslations("layout");
  const tPages = useTranslations("meta.pages");
  const trpc = useTRPC();
  const pathname = usePathname();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <header className="topbar">
      <nav aria-label={t("sections")} className="topbar-nav">
        <span className="brand">Rantai</span>
        {sections.map((section) => (
          <Link
            key={section.href}
            href={section.href}
            className="nav-link"
            aria-current={isCurrent(pathname, section.href) ? "page" : undefined}
          >
            {tPages(section.page)}
          </Link>
        ))}
      </nav>
      <span className="who" data-testid="signed-in-as">
        {me.data
          ? t("signedInAs", { name: me.data.name, role: t(`roles.${me.data.role}`), unit: me.data.orgUnitName })
          : ""}
      </span>
      <LanguageSwitch signedIn />
      <button type="button" onClick={() => void signOutToLogin().catch(() => undefined)}>
        {t("signOut")}
      </button>
    </header>
  );
}
