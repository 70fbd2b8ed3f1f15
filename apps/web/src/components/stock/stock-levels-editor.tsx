"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { storeAccessOf } from "./store-access";

type LevelSettings = RouterOutputs["stock"]["listStockLevels"]["levels"][number];
type ItemLevel = LevelSettings["items"][number];

/** Min/max months of stock per level and vaccine over the signed-in user's scope; officers edit them. */
export function StockLevelsEditor() {
  const t = useTranslations("store");
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const me = useQuery(trpc.auth.me.queryOptions());
  const settings = useQuery(trpc.stock.listStockLevels.queryOptions({}));
  const error = me.error ?? settings.error;
  return (
    <>
      <div className="page-heading">
        <div>
          <h1>{t("levels.heading")}</h1>
          <p className="muted">{t("levels.subtitle", { unit: me.data?.orgUnitName ?? "" })}</p>
        </div>
        <Link href="/store">{t("levels.back")}</Link>
      </div>
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      ) : !me.data || !settings.data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        settings.data.levels.map((level) => (
          <LevelTable
            key={level.level}
            settings={level}
            canEdit={me.data ? storeAccessOf(me.data.rights).manageLevels : false}
          />
        ))
      )}
    </>
  );
}

function LevelTable({ settings, canEdit }: { settings: LevelSettings; canEdit: boolean }) {
  const t = useTranslations("store");
  const headingId = `levels-${settings.level}`;
  return (
    <section className="card" aria-labelledby={headingId} data-testid="level-settings">
      <h2 id={headingId}>
        {t(`levels.level.${settings.level}`)}{" "}
        <span className="muted">{t("levels.stores", { count: settings.stores })}</span>
      </h2>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("levels.item")}</th>
              <th scope="col">{t("levels.min")}</th>
              <th scope="col">{t("levels.max")}</th>
              {canEdit ? (
                <th scope="col">
                  <span className="sr-only">{t("levels.edit")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {settings.items.map((item) => (
              <LevelRow key={item.itemId} level={settings.level} item={item} canEdit={canEdit} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function MonthsRange({ range }: { range: ItemLevel["minMonths"] }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  if (range.low === range.high) return <>{format.decimal(range.low)}</>;
  return <>{t("levels.varies", { low: format.decimal(range.low), high: format.decimal(range.high) })}</>;
}

function LevelRow({ level, item, canEdit }: { level: LevelSettings["level"]; item: ItemLevel; canEdit: boolean }) {
  const t = useTranslations("store");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [minMonths, setMinMonths] = useState(item.minMonths.high);
  const [maxMonths, setMaxMonths] = useState(item.maxMonths.high);
  const [saved, setSaved] = useState<number | null>(null);
  const save = useMutation(
    trpc.stock.setStockLevel.mutationOptions({
      onSuccess: async (result) => {
        setEditing(false);
        setSaved(result.stores);
        await queryClient.invalidateQueries({ queryKey: trpc.stock.pathKey() });
      },
    }),
  );
  const levelName = t(`levels.level.${level}`);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ level, itemId: item.itemId, minMonths, maxMonths });
  }
  if (editing) {
    const formId = `level-${level}-${item.itemId}`;
    return (
      <tr data-testid="level-row">
        <th scope="row">{item.itemName}</th>
        <td>
          <input
            form={formId}
            type="number"
            min={0}
            max={24}
            step={0.01}
            required
            aria-label={`${t("levels.min")}: ${item.itemName}, ${levelName}`}
            value={minMonths}
            onChange={(event) => setMinMonths(Number(event.target.value))}
          />
        </td>
        <td>
          <input
            form={formId}
            type="number"
            min={0.01}
            max={24}
            step={0.01}
            required
            aria-label={`${t("levels.max")}: ${item.itemName}, ${levelName}`}
            value={maxMonths}
            onChange={(event) => setMaxMonths(Number(event.target.value))}
          />
        </td>
        <td>
          <form id={formId} onSubmit={onSubmit} style={{ display: "flex", gap: 8 }}>
            <button type="submit" disabled={save.isPending}>
              {t("levels.save")}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t("levels.cancel")}
            </button>
          </form>
          {save.error ? (
            <p className="error" role="alert">
              {errorMessage(save.error)}
            </p>
          ) : null}
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="level-row">
      <th scope="row">{item.itemName}</th>
      <td>
        <MonthsRange range={item.minMonths} />
      </td>
      <td>
        <MonthsRange range={item.maxMonths} />
      </td>
      {canEdit ? (
        <td>
          <button
            type="button"
            aria-label={t("levels.editLabel", { item: item.itemName, level: levelName })}
            onClick={() => {
              setSaved(null);
              setMinMonths(item.minMonths.high);
              setMaxMonths(item.maxMonths.high);
              setEditing(true);
            }}
          >
            {t("levels.edit")}
          </button>{" "}
          {saved !== null ? (
            <span role="status" className="muted">
              {t("levels.saved", { count: saved })}
            </span>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
