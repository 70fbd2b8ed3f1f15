"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "~/trpc/react";

type TreeNode = RouterOutputs["orgs"]["tree"];

/**
 * Lets a user narrow a page to one unit under theirs: regions only (the cold-chain board), or
 * every store including health facilities (stock).
 */
export function ScopePicker({
  value,
  onChange,
  label,
  includeFacilities = false,
  reserveSpace = false,
}: {
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  /** What the choice is called, in the reader's language ("Wilayah", "Gudang"). */
  label: string;
  includeFacilities?: boolean;
  /**
   * Holds the picker's place (a disabled select of the same width) while the tree loads, where
   * its arrival would otherwise push what follows it down (the alarm inbox's filter row).
   */
  reserveSpace?: boolean;
}) {
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const tree = useQuery(trpc.orgs.tree.queryOptions({ levels: 2 }));
  if (!tree.data)
    return reserveSpace ? (
      <label className="muted">
        {label}{" "}
        <select aria-label={label} className="scope-select" disabled>
          <option value="">{tCommon("loading")}</option>
        </select>
      </label>
    ) : null;
  const options = unitsOf(tree.data, includeFacilities);
  if (options.length <= 1) return null;
  return (
    <label className="muted">
      {label}{" "}
      <select
        aria-label={label}
        className={reserveSpace ? "scope-select" : undefined}
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value ? Number(event.target.value) : undefined)}
      >
        {options.map((node) => (
          <option key={node.id} value={node.id === tree.data.id ? "" : node.id}>
            {"\u00a0".repeat(node.indent * 3)}
            {node.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A tree's units as indented options, depth first; facilities only when asked for. */
export function unitsOf(
  root: TreeNode,
  includeFacilities: boolean,
  indent = 0,
): { id: number; name: string; indent: number; level: TreeNode["level"] }[] {
  if (root.level === "facility" && !includeFacilities) return [];
  return [
    { id: root.id, name: root.name, indent, level: root.level },
    ...root.children.flatMap((child) => unitsOf(child, includeFacilities, indent + 1)),
  ];
}
