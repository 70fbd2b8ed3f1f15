import "server-only";
import type { Messages } from "@rantai/ui/i18n";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

/** A page's `<title>`, "Stok vaksin · Rantai", in the reader's language. */
export async function pageMetadata(page: keyof Messages["meta"]["pages"]): Promise<Metadata> {
  const t = await getTranslations("meta");
  // Absolute: a layout's title template does not reach pages of its own segment (the board at /).
  return { title: { absolute: t("titleTemplate", { page: t(`pages.${page}`) }) } };
}
