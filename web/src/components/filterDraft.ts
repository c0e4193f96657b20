import { type ChangeEvent, type FormEvent, useEffect, useState } from 'react';

/** The fields of a filter that inputs edit as text. */
type TextField<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F];

/**
 * The filters a list page is being given, before Apply: each input's value and onChange by field
 * name, the submit that applies them together, and `set` for inputs with their own onChange. Reset
 * to the applied filter whenever it changes (Clear, the address).
 */
export function useFilterDraft<F extends object>(filter: F, onApply: (filter: F) => void) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  return {
    draft,
    set: (changes: Partial<F>) => setDraft({ ...draft, ...changes }),
    field: (name: TextField<F>) => ({
      value: draft[name] as string,
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
        setDraft({ ...draft, [name]: event.currentTarget.value }),
    }),
    submit: (event: FormEvent) => {
      event.preventDefault();
      onApply(draft);
    },
  };
}
