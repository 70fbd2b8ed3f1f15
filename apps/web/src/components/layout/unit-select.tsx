"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { unitsOf } from "./scope-picker";

type Level = RouterOutputs["orgs"]["tree"]["level"];

/**
 * A form's choice of one org unit in the user's scope (their unit and two levels below), limited
 * to the levels the field accepts; units of other levels stay visible as context but disabled.
 */
export function UnitSelect({
  id,
  name,
  levels,
  value,
  onChange,
  required = true,
}: {
  id: string;
  name?: string;
  levels: readonly Level[];
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  required?: boolean;
}) {
  const trpc = useTRPC();
  const tree = useQuery(trpc.orgs.tree.queryOptions({ levels: 2 }));
  const options = tree.data ? unitsOf(tree.data, true) : [];
  return (
    <select
      id={id}
      name={name}
      required={required}
      value={value ?? ""}
      onChange={(event) => onChange(event.target.value ? Number(event.target.value) : undefined)}
    >
      <option value="">—</option>
      {options.map((unit) => (
        <option key={unit.id} value={unit.id} disabled={!levels.includes(unit.level)}>
          {"\u00a0".repeat(unit.indent * 3)}
          {unit.name}
        </option>
      ))}
    </select>
  );
}
