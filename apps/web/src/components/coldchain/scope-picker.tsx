"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

type TreeNode = RouterOutputs["orgs"]["tree"];

/** Lets a province or national user narrow the board to one unit under theirs. */
export function ScopePicker({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange: (id: number | undefined) => void;
}) {
  const trpc = useTRPC();
  const tree = useQuery(trpc.orgs.tree.queryOptions({ levels: 2 }));
  if (!tree.data) return null;
  const options = regionsOf(tree.data);
  if (options.length <= 1) return null;
  return (
    <label className="muted">
      Area{" "}
      <select
        aria-label="Area"
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

function regionsOf(root: TreeNode, indent = 0): { id: number; name: string; indent: number }[] {
  if (root.level === "facility") return [];
  return [{ id: root.id, name: root.name, indent }, ...root.children.flatMap((child) => regionsOf(child, indent + 1))];
}
