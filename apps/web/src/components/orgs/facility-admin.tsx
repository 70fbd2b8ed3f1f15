"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { AdminFormCard, submitForm, textField, useCreatedName, useInvalidate } from "~/components/layout/admin-form";
import { AdminListCard, useScopedPages } from "~/components/layout/admin-list";
import { ChangeNotice } from "~/components/layout/query-state";
import { UnitSelect } from "~/components/layout/unit-select";
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
  return useInvalidate(trpc.orgs.listFacilities.queryKey(), trpc.orgs.tree.queryKey());
}

function CreateFacilityForm() {
  const t = useTranslations("admin.facilities");
  const trpc = useTRPC();
  const invalidate = useInvalidateFacilities();
  const [parentId, setParentId] = useState<number | undefined>(undefined);
  const [facilityType, setFacilityType] = useState<FacilityType>("puskesmas");
  const created = useCreatedName(invalidate);
  const create = useMutation(trpc.orgs.createFacility.mutationOptions({ onSuccess: created.onSuccess }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    created.clear();
    submitForm(
      event,
      (form) =>
        parentId === undefined
          ? undefined
          : { parentId, facilityType, code: textField(form, "code"), name: textField(form, "name") },
      create.mutate,
    );
  }

  return (
    <AdminFormCard
      id="create-facility-heading"
      heading={t("create.heading")}
      onSubmit={onSubmit}
      submitLabel={t("create.submit")}
      pending={create.isPending}
      error={create.error}
      done={created.created ? t("create.done", { name: created.created }) : null}
    >
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
    </AdminFormCard>
  );
}

function FacilityList({ canManage }: { canManage: boolean }) {
  const t = useTranslations("admin.facilities");
  const trpc = useTRPC();
  const scoped = useScopedPages();
  const facilities = useQuery(
    trpc.orgs.listFacilities.queryOptions({ orgUnitId: scoped.orgUnitId, limit: 50, cursor: scoped.pages.cursor }),
  );

  return (
    <AdminListCard
      id="facilities-heading"
      heading={t("heading")}
      scoped={scoped}
      query={facilities}
      messages={{ loading: t("loading"), empty: t("empty") }}
      columns={[t("fields.name"), t("fields.code"), t("fields.type"), ...(canManage ? [t("columns.actions")] : [])]}
    >
      {(rows) =>
        rows.map((facility) => <FacilityRowView key={facility.id} facility={facility} canManage={canManage} />)
      }
    </AdminListCard>
  );
}

function FacilityRowView({ facility, canManage }: { facility: FacilityRow; canManage: boolean }) {
  const t = useTranslations("admin.facilities");
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
      name: textField(form, "name"),
      code: textField(form, "code"),
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
            <ChangeNotice error={update.error} />
          </div>
        </td>
      ) : null}
    </tr>
  );
}
