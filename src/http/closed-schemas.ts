/**
 * Closed request schemas: every object in a route's body or query schema that does not say
 * otherwise gets `additionalProperties: false`. Fastify's validator then drops unknown fields
 * before the handler runs (unknown fields are dropped, not refused: SDKs send parameters
 * Switchboard does not use), so a field a route does not document never reaches a service.
 */
type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A copy of the schema with every object closed; the original (often shared between routes) is left as it is. */
export function closedSchema(schema: Schema): Schema {
  const copy: Schema = { ...schema };
  if (isSchema(copy.properties)) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, property]) => [
        name,
        isSchema(property) ? closedSchema(property) : property,
      ]),
    );
  }
  if (
    copy.type === 'object' &&
    copy.additionalProperties === undefined &&
    copy.patternProperties === undefined
  ) {
    copy.additionalProperties = false;
  }
  if (isSchema(copy.items)) copy.items = closedSchema(copy.items);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = copy[key];
    if (Array.isArray(branches)) {
      copy[key] = branches.map((branch) => (isSchema(branch) ? closedSchema(branch) : branch));
    }
  }
  return copy;
}

/** Whether every object in the schema is closed (or says explicitly what else it takes). */
export function isClosedSchema(schema: Schema): boolean {
  if (
    schema.type === 'object' &&
    schema.additionalProperties === undefined &&
    schema.patternProperties === undefined
  )
    return false;
  const children: unknown[] = [
    ...(isSchema(schema.properties) ? Object.values(schema.properties) : []),
    schema.items,
    ...(['anyOf', 'oneOf', 'allOf'] as const).flatMap((key) =>
      Array.isArray(schema[key]) ? schema[key] : [],
    ),
  ];
  return children.every((child) => !isSchema(child) || isClosedSchema(child));
}
