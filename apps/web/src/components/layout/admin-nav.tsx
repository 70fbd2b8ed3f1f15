"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import "./admin.css";

const pages = [
  { href: "/admin", label: "users" },
  { href: "/admin/facilities", label: "facilities" },
  { href: "/admin/fridges", label: "fridges" },
] as const;

/** The administration pages' own heading and tabs. */
export function AdminNav() {
  const t = useTranslations("admin.nav");
  const pathname = usePathname();
  return (
    <div className="page-heading">
      <h1>{t("heading")}</h1>
      <nav aria-label={t("label")} className="admin-tabs">
        {pages.map((page) => (
          <Link key={page.href} href={page.href} aria-current={pathname === page.href ? "page" : undefined}>
            {t(page.label)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
