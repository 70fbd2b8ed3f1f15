"use client";

import type { RouterInputs, RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import {
  ActiveChip,
  AdminFormCard,
  optionalField,
  submitForm,
  textField,
  useCreatedName,
  useInvalidate,
} from "~/components/layout/admin-form";
import { AdminListCard, useScopedPages } from "~/components/layout/admin-list";
import { ChangeNotice, QueryState } from "~/components/layout/query-state";
import { UnitSelect } from "~/components/layout/unit-select";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";

type FridgeRow = RouterOutputs["coldchain"]["listFridges"]["items"][number];
type Credential = RouterOutputs["coldchain"]["sensors"]["register"];
type AlarmRule = RouterOutputs["coldchain"]["alarmRules"][number];
type Kind = RouterInputs["coldchain"]["registerFridge"]["kind"];
const kinds = ["refrigerator", "freezer", "fridge_freezer", "cold_box", "vaccine_carrier"] as const satisfies Kind[];

/**
 * Fridges within scope: register one, and for each its sensors (register, rotate the
 * credential, disable) and its alarm thresholds. A device credential is shown once, right after
 * it is issued, and lives only in this page's memory until dismissed.
 */
export function FridgeAdmin({
  canManageEquipment,
  canManageSensors,
}: {
  canManageEquipment: boolean;
  canManageSensors: boolean;
}) {
  return (
    <>
      {canManageEquipment ? <RegisterFridgeForm /> : null}
      <FridgeList canManageEquipment={canManageEquipment} canManageSensors={canManageSensors} />
    </>
  );
}

function RegisterFridgeForm() {
  const t = useTranslations("admin.fridges");
  const trpc = useTRPC();
  const invalidate = useInvalidate(trpc.coldchain.listFridges.queryKey());
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  const [kind, setKind] = useState<Kind>("refrigerator");
  const created = useCreatedName(invalidate);
  const register = useMutation(trpc.coldchain.registerFridge.mutationOptions({ onSuccess: created.onSuccess }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    created.clear();
    submitForm(
      event,
      (form) =>
        orgUnitId === undefined
          ? undefined
          : {
              orgUnitId,
              kind,
              name: textField(form, "name"),
              model: optionalField(form, "model"),
              serialNumber: optionalField(form, "serialNumber"),
            },
      register.mutate,
    );
  }

  return (
    <AdminFormCard
      id="register-fridge-heading"
      heading={t("create.heading")}
      onSubmit={onSubmit}
      submitLabel={t("create.submit")}
      pending={register.isPending}
      error={register.error}
      done={created.created ? t("create.done", { name: created.created }) : null}
    >
      <label htmlFor="fridge-unit">{t("fields.unit")}</label>
      <UnitSelect id="fridge-unit" levels={["facility", "district"]} value={orgUnitId} onChange={setOrgUnitId} />
      <label htmlFor="fridge-name">{t("fields.name")}</label>
      <input id="fridge-name" name="name" required minLength={2} maxLength={120} />
      <label htmlFor="fridge-kind">{t("fields.kind")}</label>
      <select id="fridge-kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
        {kinds.map((value) => (
          <option key={value} value={value}>
            {t(`kinds.${value}`)}
          </option>
        ))}
      </select>
      <label htmlFor="fridge-model">{t("fields.model")}</label>
      <input id="fridge-model" name="model" maxLength={120} />
      <label htmlFor="fridge-serial">{t("fields.serialNumber")}</label>
      <input id="fridge-serial" name="serialNumber" maxLength={64} />
    </AdminFormCard>
  );
}

function FridgeList({
  canManageEquipment,
  canManageSensors,
}: {
  canManageEquipment: boolean;
  canManageSensors: boolean;
}) {
  const t = useTranslations("admin.fridges");
  const trpc = useTRPC();
  const [openId, setOpenId] = useState<number | null>(null);
  const scoped = useScopedPages();
  const fridges = useQuery(
    trpc.coldchain.listFridges.queryOptions({ orgUnitId: scoped.orgUnitId, limit: 50, cursor: scoped.pages.cursor }),
  );

  return (
    <AdminListCard
      id="fridges-heading"
      heading={t("heading")}
      scoped={scoped}
      includeFacilities
      query={fridges}
      messages={{ loading: t("loading"), empty: t("empty") }}
      columns={[t("fields.name"), t("fields.unit"), t("fields.kind"), t("columns.sensor"), t("columns.details")]}
    >
      {(rows) =>
        rows.map((fridge) => (
          <FridgeRowView
            key={fridge.equipmentId}
            fridge={fridge}
            open={openId === fridge.equipmentId}
            onToggle={() => setOpenId(openId === fridge.equipmentId ? null : fridge.equipmentId)}
            canManageEquipment={canManageEquipment}
            canManageSensors={canManageSensors}
          />
        ))
      }
    </AdminListCard>
  );
}

function FridgeRowView({
  fridge,
  open,
  onToggle,
  canManageEquipment,
  canManageSensors,
}: {
  fridge: FridgeRow;
  open: boolean;
  onToggle: () => void;
  canManageEquipment: boolean;
  canManageSensors: boolean;
}) {
  const t = useTranslations("admin.fridges");
  return (
    <>
      <tr data-testid="fridge-row">
        <td>{fridge.name}</td>
        <td>{fridge.facilityName}</td>
        <td>{t(`kinds.${fridge.kind}`)}</td>
        <td>{fridge.deviceId ?? t("noSensor")}</td>
        <td>
          <button
            type="button"
            onClick={onToggle}
            aria-expanded={open}
            aria-label={t("actions.detailsNamed", { name: fridge.name, unit: fridge.facilityName })}
          >
            {open ? t("actions.close") : t("actions.details")}
          </button>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={5}>
            <SensorPanel equipmentId={fridge.equipmentId} canManage={canManageSensors} />
            <AlarmRulesPanel equipmentId={fridge.equipmentId} canManage={canManageEquipment} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** A device credential, shown once: the secret is not stored in clear and cannot be shown again. */
function CredentialNotice({ credential, onDismiss }: { credential: Credential; onDismiss: () => void }) {
  const t = useTranslations("admin.sensors");
  return (
    <div className="credential" role="status" data-testid="sensor-credential">
      <strong>{t("credential.heading", { deviceId: credential.deviceId })}</strong>
      <p>{t("credential.once")}</p>
      <dl>
        <dt>{t("credential.username")}</dt>
        <dd data-testid="credential-username">{credential.mqtt.username}</dd>
        <dt>{t("credential.password")}</dt>
        <dd data-testid="credential-password">{credential.mqtt.password}</dd>
        <dt>{t("credential.readingsTopic")}</dt>
        <dd>{credential.mqtt.readingsTopic}</dd>
        <dt>{t("credential.statusTopic")}</dt>
        <dd>{credential.mqtt.statusTopic}</dd>
      </dl>
      <button type="button" onClick={onDismiss}>
        {t("credential.dismiss")}
      </button>
    </div>
  );
}

function SensorPanel({ equipmentId, canManage }: { equipmentId: number; canManage: boolean }) {
  const t = useTranslations("admin.sensors");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const sensors = useQuery(trpc.coldchain.fridgeSensors.queryOptions({ equipmentId }));
  const [credential, setCredential] = useState<Credential | null>(null);
  const [deviceId, setDeviceId] = useState("");
  const refresh = useInvalidate(
    trpc.coldchain.fridgeSensors.queryKey({ equipmentId }),
    trpc.coldchain.listFridges.queryKey(),
  );
  const showOnce = async (issued: Credential) => {
    setCredential(issued);
    setDeviceId("");
    await refresh();
  };
  const register = useMutation(trpc.coldchain.sensors.register.mutationOptions({ onSuccess: showOnce }));
  const rotate = useMutation(trpc.coldchain.sensors.rotateCredential.mutationOptions({ onSuccess: showOnce }));
  const setActive = useMutation(trpc.coldchain.sensors.setActive.mutationOptions({ onSuccess: refresh }));
  const error = register.error ?? rotate.error ?? setActive.error;

  return (
    <section aria-label={t("heading")}>
      <h3>{t("heading")}</h3>
      {credential ? <CredentialNotice credential={credential} onDismiss={() => setCredential(null)} /> : null}
      <QueryState query={sensors} loading={t("loading")} empty={t("empty")} isEmpty={(data) => data.length === 0}>
        {(data) => (
          <table>
            <thead>
              <tr>
                <th>{t("columns.deviceId")}</th>
                <th>{t("columns.status")}</th>
                <th>{t("columns.issued")}</th>
                <th>{t("columns.lastReading")}</th>
                {canManage ? <th>{t("columns.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.map((sensor) => (
                <tr key={sensor.sensorId} data-testid="sensor-row">
                  <td>{sensor.deviceId}</td>
                  <td>
                    <ActiveChip
                      active={sensor.active}
                      labels={{ active: t("status.active"), disabled: t("status.disabled") }}
                    />
                  </td>
                  <td>{format.dateTime(sensor.credentialIssuedAt)}</td>
                  <td>{sensor.lastReadingAt ? format.dateTime(sensor.lastReadingAt) : t("never")}</td>
                  {canManage ? (
                    <td>
                      <div className="admin-actions">
                        {sensor.active ? (
                          <button type="button" onClick={() => rotate.mutate({ sensorId: sensor.sensorId })}>
                            {t("actions.rotate")}
                          </button>
                        ) : null}
                        <button
                          type="button"
                          onClick={() => setActive.mutate({ sensorId: sensor.sensorId, active: !sensor.active })}
                        >
                          {sensor.active ? t("actions.disable") : t("actions.enable")}
                        </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      {canManage ? (
        <form
          className="admin-inline"
          onSubmit={(event) => {
            event.preventDefault();
            setCredential(null);
            register.mutate({ equipmentId, deviceId: deviceId.trim() });
          }}
        >
          <label htmlFor={`device-${equipmentId}`}>{t("fields.deviceId")}</label>
          <input
            id={`device-${equipmentId}`}
            value={deviceId}
            onChange={(event) => setDeviceId(event.target.value)}
            required
            maxLength={64}
            pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}"
            placeholder="RTS-P340401-3"
          />
          <button type="submit" disabled={register.isPending}>
            {t("actions.register")}
          </button>
        </form>
      ) : null}
      {canManage ? <p className="muted">{t("brokerDelay")}</p> : null}
      <ChangeNotice error={error} />
    </section>
  );
}

function AlarmRulesPanel({ equipmentId, canManage }: { equipmentId: number; canManage: boolean }) {
  const t = useTranslations("admin.rules");
  const trpc = useTRPC();
  const rules = useQuery(trpc.coldchain.alarmRules.queryOptions({ equipmentId }));
  return (
    <section aria-label={t("heading")}>
      <h3>{t("heading")}</h3>
      <p className="muted">{t("intro")}</p>
      <QueryState query={rules} loading={t("loading")}>
        {(data) => (
          <table>
            <thead>
              <tr>
                <th>{t("columns.type")}</th>
                <th>{t("columns.enabled")}</th>
                <th>{t("columns.threshold")}</th>
                <th>{t("columns.duration")}</th>
                {canManage ? <th>{t("columns.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.map((rule) => (
                <AlarmRuleRow key={rule.type} equipmentId={equipmentId} rule={rule} canManage={canManage} />
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}

function AlarmRuleRow({ equipmentId, rule, canManage }: { equipmentId: number; rule: AlarmRule; canManage: boolean }) {
  const t = useTranslations("admin.rules");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const save = useMutation(
    trpc.coldchain.setAlarmRule.mutationOptions({
      onSuccess: (rules) => {
        queryClient.setQueryData(trpc.coldchain.alarmRules.queryKey({ equipmentId }), rules);
        setEditing(false);
      },
    }),
  );
  const threshold =
    rule.threshold === null
      ? t("none")
      : rule.thresholdUnit === "celsius"
        ? format.temperature(rule.threshold)
        : `${format.count(rule.threshold)} %`;
  const duration = rule.durationMinutes === null ? t("defaultSilence") : t("minutes", { count: rule.durationMinutes });
  const id = `rule-${equipmentId}-${rule.type}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const thresholdText = String(form.get("threshold") ?? "")
      .trim()
      .replace(",", ".");
    save.mutate({
      equipmentId,
      type: rule.type,
      enabled: form.get("enabled") === "on",
      durationMinutes: Number(form.get("duration")),
      threshold: rule.thresholdUnit === null || thresholdText === "" ? null : Number(thresholdText),
    });
  }

  return (
    <tr data-testid="alarm-rule-row">
      <td>
        {t(`types.${rule.type}`)}
        {rule.custom ? <div className="muted">{t("custom")}</div> : null}
      </td>
      <td>{rule.enabled ? t("on") : t("off")}</td>
      <td>{threshold}</td>
      <td>{duration}</td>
      {canManage ? (
        <td>
          <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
            {t("actions.edit")}
          </button>
          {editing ? (
            <form className="admin-inline" onSubmit={onSubmit}>
              <label htmlFor={`${id}-enabled`}>{t("columns.enabled")}</label>
              <input id={`${id}-enabled`} name="enabled" type="checkbox" defaultChecked={rule.enabled} />
              {rule.thresholdUnit ? (
                <>
                  <label htmlFor={`${id}-threshold`}>
                    {rule.thresholdUnit === "celsius" ? t("fields.thresholdCelsius") : t("fields.thresholdPercent")}
                  </label>
                  <input
                    id={`${id}-threshold`}
                    name="threshold"
                    inputMode="decimal"
                    defaultValue={rule.threshold === null ? "" : String(rule.threshold)}
                    size={6}
                  />
                </>
              ) : null}
              <label htmlFor={`${id}-duration`}>{t("fields.durationMinutes")}</label>
              <input
                id={`${id}-duration`}
                name="duration"
                type="number"
                min={rule.type === "no_data" ? 10 : 0}
                max={10080}
                required
                defaultValue={rule.durationMinutes ?? 60}
              />
              <button type="submit" disabled={save.isPending}>
                {t("actions.save")}
              </button>
            </form>
          ) : null}
          <ChangeNotice error={save.error} />
        </td>
      ) : null}
    </tr>
  );
}
