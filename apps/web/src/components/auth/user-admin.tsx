"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { ActiveChip, AdminFormCard, submitForm, textField, useInvalidate } from "~/components/layout/admin-form";
import { ADMIN_LIST_RESERVE } from "~/components/layout/admin-list";
import { useCursorPages } from "~/components/layout/cursor-pager";
import { ListCard } from "~/components/layout/list-card";
import { ChangeNotice } from "~/components/layout/query-state";
import { UnitSelect } from "~/components/layout/unit-select";
import { useConsoleFormat } from "~/i18n/use-console-format";
import type { AdminRights } from "~/server/admin-rights";
import { useTRPC } from "~/trpc/react";
import { PasswordField } from "./password-field";

type UserRow = RouterOutputs["users"]["list"]["items"][number];
type Role = UserRow["role"];

/**
 * Users within the user's scope: the list, and for an officer a new account and, for each account
 * the officer outranks: disable or enable, another role, a new password. Roles offered are those
 * below the officer's own; the API refuses anything else. Without the right, the list is shown
 * with no action, and the page says who manages users.
 */
export function UserAdmin({ rights }: { rights: AdminRights }) {
  const t = useTranslations("admin.users");
  return (
    <>
      {rights.manageUsers ? (
        <CreateUserForm rights={rights} />
      ) : (
        <p className="muted" data-testid="users-read-only">
          {t("notYours")}
        </p>
      )}
      <UserList rights={rights} />
    </>
  );
}

function useInvalidateUsers() {
  const trpc = useTRPC();
  return useInvalidate(trpc.users.list.queryKey());
}

function CreateUserForm({ rights }: { rights: AdminRights }) {
  const t = useTranslations("admin.users");
  const trpc = useTRPC();
  const invalidate = useInvalidateUsers();
  const [role, setRole] = useState<Role>(rights.grantableRoles.at(-1)?.role ?? "viewer");
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  const [password, setPassword] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (_result, input) => {
        setCreated(input.email);
        setPassword("");
        await invalidate();
      },
    }),
  );
  const levels = rights.grantableRoles.find((grantable) => grantable.role === role)?.levels ?? [];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    setCreated(null);
    submitForm(
      event,
      (form) =>
        orgUnitId === undefined
          ? undefined
          : { name: textField(form, "name"), email: textField(form, "email"), role, orgUnitId, password },
      create.mutate,
    );
  }

  return (
    <AdminFormCard
      id="create-user-heading"
      heading={t("create.heading")}
      onSubmit={onSubmit}
      submitLabel={create.isPending ? t("create.submitting") : t("create.submit")}
      pending={create.isPending}
      error={create.error}
      done={created ? <span data-testid="user-created">{t("create.done", { email: created })}</span> : null}
    >
      <label htmlFor="user-name">{t("fields.name")}</label>
      <input id="user-name" name="name" required minLength={2} maxLength={120} autoComplete="off" />
      <label htmlFor="user-email">{t("fields.email")}</label>
      <input id="user-email" name="email" type="email" required maxLength={254} autoComplete="off" />
      <label htmlFor="user-role">{t("fields.role")}</label>
      <select
        id="user-role"
        value={role}
        onChange={(event) => {
          setRole(event.target.value as Role);
          setOrgUnitId(undefined);
        }}
      >
        <RoleOptions rights={rights} />
      </select>
      <label htmlFor="user-unit">{t("fields.unit")}</label>
      <UnitSelect id="user-unit" levels={levels} value={orgUnitId} onChange={setOrgUnitId} />
      <label htmlFor="user-password">{t("fields.password")}</label>
      <PasswordField id="user-password" value={password} onChange={setPassword} />
    </AdminFormCard>
  );
}

/** The roles this officer may grant. */
function RoleOptions({ rights }: { rights: AdminRights }) {
  const tRoles = useTranslations("layout.roles");
  return rights.grantableRoles.map((grantable) => (
    <option key={grantable.role} value={grantable.role}>
      {tRoles(grantable.role)}
    </option>
  ));
}

function UserList({ rights }: { rights: AdminRights }) {
  const t = useTranslations("admin.users");
  const tPager = useTranslations("admin.pager");
  const tRoles = useTranslations("layout.roles");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const users = useQuery(trpc.users.list.queryOptions({ limit: 50, cursor: pages.cursor }));
  const administrable = new Set<Role>(rights.grantableRoles.map((grantable) => grantable.role));

  return (
    <ListCard
      id="users-heading"
      heading={t("heading")}
      query={users}
      messages={{
        loading: t("loading"),
        empty: t("empty"),
        pages: tPager("label"),
        previous: tPager("previous"),
        next: tPager("next"),
      }}
      reserve={ADMIN_LIST_RESERVE}
      columns={[
        t("columns.name"),
        t("columns.role"),
        t("columns.unit"),
        t("columns.status"),
        t("columns.lastLogin"),
        ...(rights.manageUsers ? [t("columns.actions")] : []),
      ]}
      pages={pages}
    >
      {(rows) =>
        rows.map((user) => (
          <tr key={user.id} data-testid="user-row">
            <td>
              {user.name}
              <div className="muted">{user.email}</div>
            </td>
            <td>{tRoles(user.role)}</td>
            <td>{user.orgUnitName}</td>
            <td>
              <ActiveChip
                active={user.active}
                labels={{ active: t("status.active"), disabled: t("status.disabled") }}
              />
            </td>
            <td>{user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t("never")}</td>
            {rights.manageUsers ? (
              <td>
                {user.id !== rights.ownUserId && administrable.has(user.role) ? (
                  <UserActions user={user} rights={rights} />
                ) : null}
              </td>
            ) : null}
          </tr>
        ))
      }
    </ListCard>
  );
}

/** Disable or enable, change the role, set a new password: each ends the user's sessions. */
function UserActions({ user, rights }: { user: UserRow; rights: AdminRights }) {
  const t = useTranslations("admin.users");
  const trpc = useTRPC();
  const invalidate = useInvalidateUsers();
  const [open, setOpen] = useState<"role" | "password" | null>(null);
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const onSuccess = (message: string) => async () => {
    setDone(message);
    setOpen(null);
    setPassword("");
    await invalidate();
  };
  const setActive = useMutation(
    (user.active ? trpc.users.disable : trpc.users.enable).mutationOptions({
      onSuccess: onSuccess(user.active ? t("done.disabled") : t("done.enabled")),
    }),
  );
  const reassign = useMutation(trpc.users.reassign.mutationOptions({ onSuccess: onSuccess(t("done.role")) }));
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: onSuccess(t("done.password")) }));
  const error = setActive.error ?? reassign.error ?? reset.error;
  const name = user.name;

  return (
    <div className="admin-actions">
      <button
        type="button"
        onClick={() => setActive.mutate({ userId: user.id })}
        disabled={setActive.isPending}
        aria-label={user.active ? t("actions.disableNamed", { name }) : t("actions.enableNamed", { name })}
      >
        {user.active ? t("actions.disable") : t("actions.enable")}
      </button>
      <button type="button" onClick={() => setOpen(open === "role" ? null : "role")} aria-expanded={open === "role"}>
        {t("actions.role")}
      </button>
      <button
        type="button"
        onClick={() => setOpen(open === "password" ? null : "password")}
        aria-expanded={open === "password"}
      >
        {t("actions.password")}
      </button>
      {open === "role" ? (
        <form
          className="admin-inline"
          onSubmit={(event) => {
            event.preventDefault();
            reassign.mutate({ userId: user.id, role });
          }}
        >
          <label htmlFor={`role-${user.id}`}>{t("fields.role")}</label>
          <select id={`role-${user.id}`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            <RoleOptions rights={rights} />
          </select>
          <button type="submit" disabled={reassign.isPending}>
            {t("actions.save")}
          </button>
        </form>
      ) : null}
      {open === "password" ? (
        <form
          className="admin-inline"
          onSubmit={(event) => {
            event.preventDefault();
            reset.mutate({ userId: user.id, newPassword: password });
          }}
        >
          <label htmlFor={`password-${user.id}`}>{t("fields.newPassword")}</label>
          <PasswordField id={`password-${user.id}`} value={password} onChange={setPassword} />
          <button type="submit" disabled={reset.isPending}>
            {t("actions.save")}
          </button>
        </form>
      ) : null}
      <ChangeNotice error={error} done={done} />
    </div>
  );
}
