/** A unit is in an actor's scope when it is the actor's own unit or lies under it. */
export function isPathInScope(actorPath: string, targetPath: string): boolean {
  return targetPath.startsWith(actorPath);
}

/** The LIKE pattern matching a path and everything under it. Paths hold only digits and "/". */
export function subtreePattern(path: string): string {
  return `${path}%`;
}
