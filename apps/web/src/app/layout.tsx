import { colors } from "@rantai/ui/tokens";
import type { Metadata } from "next";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { CSSProperties, ReactNode } from "react";
import { TRPCReactProvider } from "~/trpc/react";
import "~/i18n/config";
import "./globals.css";

/** The app's title and description in the reader's language; each page sets its own title (i18n/metadata.ts). */
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return {
    title: t("defaultTitle"),
    description: t("description"),
    applicationName: t("appName"),
  };
}

// The shared design tokens become CSS variables, so the console and the phone app use one palette.
const tokenVariables = {
  "--ink": colors.ink,
  "--ink-muted": colors.inkMuted,
  "--surface": colors.surface,
  "--canvas": colors.canvas,
  "--border": colors.border,
  "--brand": colors.brand,
  "--brand-ink": colors.brandInk,
  "--ok": colors.ok,
  "--ok-soft": colors.okSoft,
  "--warm": colors.warm,
  "--warm-soft": colors.warmSoft,
  "--cold": colors.cold,
  "--cold-soft": colors.coldSoft,
  "--unknown": colors.unknown,
  "--unknown-soft": colors.unknownSoft,
  "--danger": colors.danger,
} as CSSProperties;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: Next puts that request's CSP nonce (from src/proxy.ts) on
  // its inline scripts, which a page prerendered at build time could not carry.
  await connection();
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body style={tokenVariables}>
        <NextIntlClientProvider>
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
