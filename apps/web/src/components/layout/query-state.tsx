"use client";

import type { CSSProperties, ReactNode } from "react";
import { useErrorMessage } from "~/i18n/use-error-message";

/**
 * What a list shows for its query: the error in the user's language, a loading line, the empty
 * line, or the data. `reserve` is the loading line's height (a CSS length): about the size the
 * data will take, so what stands below does not jump when it arrives.
 */
export function QueryState<Data>({
  query,
  loading,
  empty,
  isEmpty,
  reserve,
  children,
}: {
  query: { data: Data | undefined; error: unknown };
  loading: string;
  empty?: string;
  isEmpty?: (data: Data) => boolean;
  reserve?: CSSProperties["minHeight"];
  children: (data: Data) => ReactNode;
}) {
  const errorMessage = useErrorMessage();
  if (query.error)
    return (
      <p className="error" role="alert">
        {errorMessage(query.error)}
      </p>
    );
  if (query.data === undefined)
    return (
      <p className="muted" style={reserve === undefined ? undefined : { minHeight: reserve }}>
        {loading}
      </p>
    );
  if (empty !== undefined && isEmpty?.(query.data)) return <p className="muted">{empty}</p>;
  return children(query.data);
}

/** A failed change's message (in the user's language) or what it did; nothing before. */
export function ChangeNotice({ error, done, testId }: { error: unknown; done?: ReactNode; testId?: string }) {
  const errorMessage = useErrorMessage();
  if (error)
    return (
      <p className="error" role="alert">
        {errorMessage(error)}
      </p>
    );
  return done ? (
    <p role="status" data-testid={testId}>
      {done}
    </p>
  ) : null;
}
