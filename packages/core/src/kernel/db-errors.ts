/**
 * MariaDB/MySQL error numbers the stock code reacts to. Drizzle wraps driver errors
 * (DrizzleQueryError), so the number is looked for along the `cause` chain.
 */
export const ER_DUP_ENTRY = 1062;
export const ER_LOCK_WAIT_TIMEOUT = 1205;
export const ER_LOCK_DEADLOCK = 1213;

export function mysqlErrno(error: unknown): number | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if ("errno" in current && typeof current.errno === "number") return current.errno;
    current = "cause" in current ? current.cause : null;
  }
  return null;
}

/** `affectedRows` of an UPDATE/INSERT run through drizzle's mysql2 driver (`[ResultSetHeader, fields]`). */
export function affectedRows(result: unknown): number {
  const header: unknown = Array.isArray(result) ? result[0] : result;
  if (typeof header === "object" && header !== null && "affectedRows" in header) {
    if (typeof header.affectedRows === "number") return header.affectedRows;
  }
  throw new Error("unexpected result from mysql2: no affectedRows");
}

/** `insertId` of a single-row INSERT. */
export function insertId(result: unknown): number {
  const header: unknown = Array.isArray(result) ? result[0] : result;
  if (typeof header === "object" && header !== null && "insertId" in header) {
    if (typeof header.insertId === "number") return header.insertId;
  }
  throw new Error("unexpected result from mysql2: no insertId");
}
