/** An id from a URL segment: digits only, within what the API accepts; anything else is not found. */
export function parseRouteId(segment: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(segment)) return null;
  const id = Number(segment);
  return Number.isSafeInteger(id) ? id : null;
}
