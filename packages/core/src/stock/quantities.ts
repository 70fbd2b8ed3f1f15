import { AppError } from "../kernel/errors";

/**
 * Stock is kept in doses. Opened vials leave stock when they are opened (usage), so what stays
 * in a store is always whole vials: every quantity that enters or leaves stock other than by
 * usage must be a multiple of the item's doses per vial.
 */

export function vialsToDoses(vials: number, dosesPerVial: number): number {
  return vials * dosesPerVial;
}

export function isWholeVials(doses: number, dosesPerVial: number): boolean {
  return dosesPerVial > 0 && doses % dosesPerVial === 0;
}

/** Refuses a dose count that is not whole vials, naming the nearest valid amounts. */
export function requireWholeVials(doses: number, item: { itemName: string; dosesPerVial: number }): void {
  if (isWholeVials(doses, item.dosesPerVial)) return;
  const perVial = item.dosesPerVial;
  const lower = Math.trunc(doses / perVial) * perVial;
  const upper = lower + Math.sign(doses || 1) * perVial;
  throw new AppError(
    "stock.not_whole_vials",
    `${item.itemName} comes in vials of ${perVial} doses, so ${Math.abs(doses)} doses is not a whole number of vials. Use ${Math.abs(lower)} or ${Math.abs(upper)}.`,
  );
}

/**
 * Doses given cannot exceed the doses in the vials opened for them. The phone checks a session
 * with this while staff type, offline; the server enforces it through the function below.
 */
export function isAdministeredWithinOpened(dosesAdministered: number, vialsOpened: number, dosesPerVial: number) {
  return dosesAdministered <= vialsToDoses(vialsOpened, dosesPerVial);
}

export function requireAdministeredWithinOpened(
  dosesAdministered: number,
  vialsOpened: number,
  item: { itemName: string; dosesPerVial: number },
): void {
  if (isAdministeredWithinOpened(dosesAdministered, vialsOpened, item.dosesPerVial)) return;
  const opened = vialsToDoses(vialsOpened, item.dosesPerVial);
  throw new AppError(
    "stock.doses_exceed_opened",
    `${vialsOpened} vial(s) of ${item.itemName} hold ${opened} doses, fewer than the ${dosesAdministered} doses recorded as given. Check the number of vials opened.`,
  );
}
