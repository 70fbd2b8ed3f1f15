import { type Executor, type OrgUnitLevel, orgUnits } from "@rantai/db";
import { and, asc, eq, gt, like, lte } from "drizzle-orm";
import { z } from "zod";
import { subtreePattern } from "../kernel/authorization/scope";
import { keysetPage } from "../kernel/pagination";

export interface OrgTreeNode {
  id: number;
  parentId: number | null;
  level: OrgUnitLevel;
  code: string;
  name: string;
  children: OrgTreeNode[];
}

/**
 * The tree under `root`, `levels` deep (bounded: a national tree holds ~10,000 facilities and
 * is loaded level by level, not at once).
 */
export async function getOrgTree(
  db: Executor,
  root: { id: number; path: string; depth: number },
  levels: number,
): Promise<OrgTreeNode> {
  const rows = await db
    .select({
      id: orgUnits.id,
      parentId: orgUnits.parentId,
      level: orgUnits.level,
      code: orgUnits.code,
      name: orgUnits.name,
    })
    .from(orgUnits)
    .where(
      and(
        like(orgUnits.path, subtreePattern(root.path)),
        lte(orgUnits.depth, root.depth + levels),
        eq(orgUnits.active, true),
      ),
    )
    .orderBy(asc(orgUnits.depth), asc(orgUnits.name));
  const nodes = new Map<number, OrgTreeNode>(rows.map((row) => [row.id, { ...row, children: [] }]));
  for (const node of nodes.values()) {
    if (node.id !== root.id && node.parentId !== null) nodes.get(node.parentId)?.children.push(node);
  }
  const tree = nodes.get(root.id);
  if (!tree) throw new Error(`org unit ${root.id} is missing from its own subtree`);
  return tree;
}

export const ZListFacilitiesSchema = z.strictObject({
  orgUnitId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(100),
  /** The last facility id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListFacilities = z.infer<typeof ZListFacilitiesSchema>;

/** Facilities (puskesmas and other health facilities) under a scope path, a page at a time by id. */
export async function findFacilities(
  db: Executor,
  scopePath: string,
  page: { limit: number; cursor?: number | undefined },
) {
  const rows = await db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      parentId: orgUnits.parentId,
      facilityType: orgUnits.facilityType,
    })
    .from(orgUnits)
    .where(
      and(
        like(orgUnits.path, subtreePattern(scopePath)),
        eq(orgUnits.level, "facility"),
        eq(orgUnits.active, true),
        gt(orgUnits.id, page.cursor ?? 0),
      ),
    )
    .orderBy(asc(orgUnits.id))
    .limit(page.limit + 1);
  return keysetPage(rows, page.limit, (row) => row.id);
}
