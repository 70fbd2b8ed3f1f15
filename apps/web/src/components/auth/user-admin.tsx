"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { KeysetPager, useKeysetPages } from "~/components/layout/keyset-pager";
import { TableScroll } from "~/components/layout/table-scroll";
import { UnitSelect } from "~/components/layout/unit-select";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import type { AdminRights } from "~/server/admin-rights";
import { useTRPC } from "~/trpc/react";
import { PasswordField } from "./password-field";

type UserRow = RouterOutputs["users"]["list"]["items"][number];
type Role = UserRow["role"];

/**
 * Users within the officer's scope: the list, a new account, and for each account the officer
 * outranks: disable or enable, another role, a new password. Roles offered are those below the
 * officer's own; the API refuses anything else. Without the right, the page says who manages users.
 */
export function UserAdmin({ rights }: { rights: AdminRights }) {
  const t = useTranslations("admin.users");
  if (!rights.manageUsers) {
    return (
      <section aria-labelledby="users-heading" className="card">
        <h2 id="users-heading">{t("heading")}</h2>
        <p className="muted" data-testid="users-read-only">
          {t("notYours")}
        </p>
      </section>
    );
  }
  return (
    <>
      <CreateUserForm rights={rights} />
      <UserList rights={rights} />
    </>
  );
}

function useInvalidateUsers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
}

function CreateUserForm({ rights }: { rights: AdminRights }) {
  const t = useTranslations("admin.users");
  const tRoles = useTranslations("layout.roles");
  const errorMessage = useErrorMessage();
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
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (orgUnitId === undefined) return;
    setCreated(null);
    const formElement = event.currentTarget;
    create.mutate(
      { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), role, orgUnitId, password },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <section aria-labelledby="create-user-heading" className="card">
      <h2 id="create-user-heading">{t("create.heading")}</h2>
      <form className="admin-form" onSubmit={onSubmit}>
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
          {rights.grantableRoles.map((grantable) => (
            <option key={grantable.role} value={grantable.role}>
              {tRoles(grantable.role)}
            </option>
          ))}
        </select>
        <label htmlFor="user-unit">{t("fields.unit")}</label>
        <UnitSelect id="user-unit" levels={levels} value={orgUnitId} onChange={setOrgUnitId} />
        <label htmlFor="user-password">{t("fields.password")}</label>
        <PasswordField id="user-password" value={password} onChange={setPassword} />
        <div className="admin-form-actions">
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? t("create.submitting") : t("create.submit")}
          </button>
        </div>
      </form>
      {create.error ? (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
      {created ? (
        <p role="status" data-testid="user-created">
          {t("create.done", { email: created })}
        </p>
      ) : null}
    </section>
  );
}

function UserList({ rights }: { rights: AdminRights }) {
  const t = useTranslations("admin.users");
  const tRoles = useTranslations("layout.roles");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const pages = useKeysetPages();
  const users = useQuery(trpc.users.list.queryOptions({ limit: 50, cursor: pages.cursor }));
  const rows = users.data?.items ?? [];
  const administrable = new Set<Role>(rights.grantableRoles.map((grantable) => grantable.role));

  return (
    <section aria-labelledby="users-heading" className="card">
      <h2 id="users-heading">{t("heading")}</h2>
      {users.error ? (
        <p className="error" role="alert">
          {errorMessage(users.error)}
        </p>
      ) : !users.data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th>{t("columns.name")}</th>
                <th>{t("columns.role")}</th>
                <th>{t("columns.unit")}</th>
                <th>{t("columns.status")}</th>
                <th>{t("columns.lastLogin")}</th>
                <th>{t("columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((user) => (
                <tr key={user.id} data-testid="user-row">
                  <td>
                    {user.name}
                    <div className="muted">{user.email}</div>
                  </td>
                  <td>{tRoles(user.role)}</td>
                  <td>{user.orgUnitName}</td>
                  <td>
                    <span className={user.active ? "chip ok" : "chip unknown"}>
                      {user.active ? t("status.active") : t("status.disabled")}
                    </span>
                  </td>
                  <td>{user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t("never")}</td>
                  <td>
                    {user.id !== rights.ownUserId && administrable.has(user.role) ? (
                      <UserActions user={user} rights={rights} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <KeysetPager pages={pages} nextCursor={users.data?.nextCursor} />
    </section>
  );
}

/** Disable or enable, change the role, set a new password: each ends the user's sessions. */
function UserActions({ user, rights }: { user: UserRow; rights: AdminRights }) {
  const t = useTranslations("admin.users");
  const tRoles = useTranslations("layout.roles");
  const errorMessage = useErrorMessage();
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
            {rights.grantableRoles.map((grantable) => (
              <option key={grantable.role} value={grantable.role}>
                {tRoles(grantable.role)}
              </option>
            ))}
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
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      ) : done ? (
        <p role="status" className="muted">
          {done}
        </p>
      ) : null}
    </div>
  );
}
