/**
 * The named fields of a request, and nothing else: services build what they hand to a store with
 * this, so a field that is not named here can never reach a column, whatever the caller sent.
 * Fields left undefined are left out (they mean "unchanged").
 */
export function namedFields<Source extends object, Name extends keyof Source & string>(
  source: Source,
  names: readonly Name[],
): { [K in Name]?: Exclude<Source[K], undefined> } {
  const picked: { [K in Name]?: Exclude<Source[K], undefined> } = {};
  for (const name of names) {
    if (!Object.hasOwn(source, name)) continue;
    const value = source[name];
    if (value !== undefined) picked[name] = value as Exclude<Source[typeof name], undefined>;
  }
  return picked;
}
