"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { KeysetPager, useKeysetPages } from "~/components/layout/keyset-pager";
import { ScopePicker } from "~/components/layout/scope-picker";
import { TableScroll } from "~/components/layout/table-scroll";
import { UnitSelect } from "~/components/layout/unit-select";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";

type FacilityRow = RouterOutputs["orgs"]["listFacilities"]["items"][number];
const facilityTypes = ["puskesmas", "rumah_sakit", "klinik"] as const;
type FacilityType = (typeof facilityTypes)[number];

/** Facilities within scope: the list, a new facility under a district, and editing one. */
export function FacilityAdmin({ canManage }: { canManage: boolean }) {
  return (
    <>
      {canManage ? <CreateFacilityForm /> : null}
      <FacilityList canManage={canManage} />
    </>
  );
}

function useInvalidateFacilities() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.orgs.listFacilities.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.orgs.tree.queryKey() }),
    ]);
}

function CreateFacilityForm() {
  const t = useTranslations("admin.facilities");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const invalidate = useInvalidateFacilities();
  const [parentId, setParentId] = useState<number | undefined>(undefined);
  const [facilityType, setFacilityType] = useState<FacilityType>("puskesmas");
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.orgs.createFacility.mutationOptions({
      onSuccess: async (result) => {
        setCreated(result.name);
        await invalidate();
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (parentId === undefined) return;
    const form = new FormData(event.currentTarget);
    setCreated(null);
    const formElement = event.currentTarget;
    create.mutate(
      { parentId, facilityType, code: String(form.get("code") ?? ""), name: String(form.get("name") ?? "") },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <section aria-labelledby="create-facility-heading" className="card">
      <h2 id="create-facility-heading">{t("create.heading")}</h2>
      <form className="admin-form" onSubmit={onSubmit}>
        <label htmlFor="facility-name">{t("fields.name")}</label>
        <input id="facility-name" name="name" required minLength={2} maxLength={160} />
        <label htmlFor="facility-code">{t("fields.code")}</label>
        <input id="facility-code" name="code" required maxLength={32} pattern="[A-Za-z0-9.\-_/]+" />
        <label htmlFor="facility-type">{t("fields.type")}</label>
        <select
          id="facility-type"
          value={facilityType}
          onChange={(event) => setFacilityType(event.target.value as FacilityType)}
        >
          {facilityTypes.map((type) => (
            <option key={type} value={type}>
              {t(`types.${type}`)}
            </option>
          ))}
        </select>
        <label htmlFor="facility-parent">{t("fields.district")}</label>
        <UnitSelect id="facility-parent" levels={["district"]} value={parentId} onChange={setParentId} />
        <div className="admin-form-actions">
          <button type="submit" disabled={create.isPending}>
            {t("create.submit")}
          </button>
        </div>
      </form>
      {create.error ? (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : created ? (
        <p role="status">{t("create.done", { name: created })}</p>
      ) : null}
    </section>
  );
}

function FacilityList({ canManage }: { canManage: boolean }) {
  const t = useTranslations("admin.facilities");
  const tScope = useTranslations("scope");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  const pages = useKeysetPages();
  const facilities = useQuery(trpc.orgs.listFacilities.queryOptions({ orgUnitId, limit: 50, cursor: pages.cursor }));
  const rows = facilities.data?.items ?? [];

  return (
    <section aria-labelledby="facilities-heading" className="card">
      <div className="page-heading">
        <h2 id="facilities-heading">{t("heading")}</h2>
        <ScopePicker
          value={orgUnitId}
          onChange={(id) => {
            pages.reset();
            setOrgUnitId(id);
          }}
          label={tScope("area")}
        />
      </div>
      {facilities.error ? (
        <p className="error" role="alert">
          {errorMessage(facilities.error)}
        </p>
      ) : !facilities.data ? (
        <p className="muted">{t("loading")}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th>{t("fields.name")}</th>
                <th>{t("fields.code")}</th>
                <th>{t("fields.type")}</th>
                {canManage ? <th>{t("columns.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((facility) => (
                <FacilityRowView key={facility.id} facility={facility} canManage={canManage} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <KeysetPager pages={pages} nextCursor={facilities.data?.nextCursor} />
    </section>
  );
}

function FacilityRowView({ facility, canManage }: { facility: FacilityRow; canManage: boolean }) {
  const t = useTranslations("admin.facilities");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const invalidate = useInvalidateFacilities();
  const [editing, setEditing] = useState(false);
  const [parentId, setParentId] = useState<number | undefined>(facility.parentId ?? undefined);
  const update = useMutation(
    trpc.orgs.updateFacility.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await invalidate();
      },
    }),
  );
  const type = facilityTypes.find((known) => known === facility.facilityType);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate({
      facilityId: facility.id,
      name: String(form.get("name") ?? ""),
      code: String(form.get("code") ?? ""),
      ...(parentId !== undefined && parentId !== facility.parentId ? { parentId } : {}),
    });
  }

  return (
    <tr data-testid="facility-row">
      <td>{facility.name}</td>
      <td>{facility.code}</td>
      <td>{type ? t(`types.${type}`) : "—"}</td>
      {canManage ? (
        <td>
          <div className="admin-actions">
            <button
              type="button"
              onClick={() => setEditing(!editing)}
              aria-expanded={editing}
              aria-label={t("actions.editNamed", { name: facility.name })}
            >
              {t("actions.edit")}
            </button>
            {editing ? (
              <form className="admin-inline" onSubmit={onSubmit}>
                <label htmlFor={`facility-name-${facility.id}`}>{t("fields.name")}</label>
                <input
                  id={`facility-name-${facility.id}`}
                  name="name"
                  defaultValue={facility.name}
                  required
                  minLength={2}
                  maxLength={160}
                />
                <label htmlFor={`facility-code-${facility.id}`}>{t("fields.code")}</label>
                <input
                  id={`facility-code-${facility.id}`}
                  name="code"
                  defaultValue={facility.code}
                  required
                  maxLength={32}
                />
                <label htmlFor={`facility-parent-${facility.id}`}>{t("fields.district")}</label>
                <UnitSelect
                  id={`facility-parent-${facility.id}`}
                  levels={["district"]}
                  value={parentId}
                  onChange={setParentId}
                />
                <button type="submit" disabled={update.isPending}>
                  {t("actions.save")}
                </button>
              </form>
            ) : null}
            {update.error ? (
              <p className="error" role="alert">
                {errorMessage(update.error)}
              </p>
            ) : null}
          </div>
        </td>
      ) : null}
    </tr>
  );
}
