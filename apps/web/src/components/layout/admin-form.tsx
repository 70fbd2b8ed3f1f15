"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { ChangeNotice } from "./query-state";

/**
 * The administration pages' "new …" card: a heading, the form's labelled fields, one submit
 * button (disabled while the change is sent), and the change's error or what it did.
 */
export function AdminFormCard({
  id,
  heading,
  onSubmit,
  submitLabel,
  pending,
  error,
  done,
  children,
}: {
  id: string;
  heading: ReactNode;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  submitLabel: ReactNode;
  pending: boolean;
  error: unknown;
  done?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{heading}</h2>
      <form className="admin-form" onSubmit={onSubmit}>
        {children}
        <div className="admin-form-actions">
          <button type="submit" disabled={pending}>
            {submitLabel}
          </button>
        </div>
      </form>
      <ChangeNotice error={error} done={done} />
    </section>
  );
}

/** Submits a form's fields as read by `read`, and resets the form once the change succeeded. */
export function submitForm<Input>(
  event: FormEvent<HTMLFormElement>,
  read: (form: FormData) => Input | undefined,
  mutate: (input: Input, options: { onSuccess: () => void }) => void,
) {
  event.preventDefault();
  const formElement = event.currentTarget;
  const input = read(new FormData(formElement));
  if (input === undefined) return;
  mutate(input, { onSuccess: () => formElement.reset() });
}

/** Refetches every list under the given query keys (a change's lists), together. */
export function useInvalidate(...queryKeys: readonly (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  return () => Promise.all(queryKeys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** A text field's value, trimmed; undefined when left empty (an optional field). */
export function optionalField(form: FormData, field: string): string | undefined {
  const value = String(form.get(field) ?? "").trim();
  return value ? value : undefined;
}

/** A text field's value as typed (the API trims and validates it). */
export function textField(form: FormData, field: string): string {
  return String(form.get(field) ?? "");
}

/** Whether an account or a sensor is in use, as a coloured chip. */
export function ActiveChip({ active, labels }: { active: boolean; labels: { active: string; disabled: string } }) {
  return <span className={active ? "chip ok" : "chip unknown"}>{active ? labels.active : labels.disabled}</span>;
}

/**
 * A "new …" form's confirmation: the name of what was created, cleared when the form is sent
 * again; `onSuccess` records it and refetches the lists it joins.
 */
export function useCreatedName<Result extends { name: string }>(invalidate: () => Promise<unknown>) {
  const [created, setCreated] = useState<string | null>(null);
  return {
    created,
    clear: () => setCreated(null),
    onSuccess: async (result: Result) => {
      setCreated(result.name);
      await invalidate();
    },
  };
}
