import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { AccountParams, ListQuery } from '../../http/plivo-schemas.js';

const Url = Type.String({ maxLength: 2000 });
const Method = Type.String({ maxLength: 8, description: 'GET or POST' });
const AppId = Type.String({ maxLength: 40 });

export const ApplicationParams = Type.Composite([AccountParams, Type.Object({ appId: AppId })]);

const fields = {
  answer_url: Type.Optional(Url),
  answer_method: Type.Optional(Method),
  hangup_url: Type.Optional(Url),
  hangup_method: Type.Optional(Method),
  fallback_answer_url: Type.Optional(Url),
  fallback_method: Type.Optional(Method),
  message_url: Type.Optional(Url),
  message_method: Type.Optional(Method),
  default_number_app: Type.Optional(Type.Boolean()),
  default_endpoint_app: Type.Optional(Type.Boolean()),
  log_incoming_messages: Type.Optional(Type.Boolean()),
  public_uri: Type.Optional(Type.Boolean()),
  subaccount: Type.Optional(
    Type.String({ maxLength: 40, description: 'the SA Auth ID the application belongs to' }),
  ),
};

/** Create Application (/v1): app_name is required. */
export const ApplicationCreate = Type.Object({ app_name: Type.String({ maxLength: 200 }), ...fields });
/** Update Application (/v1), and the console's create and change (the service requires app_name to create). */
export const ApplicationFields = Type.Object({
  app_name: Type.Optional(Type.String({ maxLength: 200 })),
  ...fields,
});
export type ApplicationFields = Static<typeof ApplicationFields>;

export const ApplicationFilter = Type.Composite([
  ListQuery,
  Type.Object({
    subaccount: Type.Optional(Type.String({ maxLength: 40 })),
    app_name: Type.Optional(Type.String({ maxLength: 200 })),
  }),
]);

export const ApplicationDelete = Type.Object({
  cascade: Type.Optional(Type.Boolean()),
  new_endpoint_application: Type.Optional(AppId),
});

/** An application, in Plivo's fields. */
export const Application = Type.Object({
  answer_method: Type.String(),
  answer_url: Type.String(),
  app_id: Type.String(),
  app_name: Type.String(),
  default_app: Type.Boolean(),
  default_endpoint_app: Type.Boolean(),
  enabled: Type.Boolean(),
  fallback_answer_url: Type.String(),
  fallback_method: Type.String(),
  hangup_method: Type.String(),
  hangup_url: Type.String(),
  log_incoming_messages: Type.Boolean(),
  message_method: Type.String(),
  message_url: Type.String(),
  public_uri: Type.Boolean(),
  resource_uri: Type.String(),
  sip_uri: Type.String(),
  sub_account: Nullable(
    Type.String({ description: 'the SA Auth ID it belongs to; null for the main account' }),
  ),
});
export type Application = Static<typeof Application>;

export const ApplicationCreated = Type.Object({
  api_id: Type.String(),
  app_id: Type.String(),
  message: Type.String(),
});

export const ConsoleApplicationParams = Type.Object({ appId: AppId });
export const Applications = Type.Object({ applications: Type.Array(Application), total: Type.Integer() });
export type Applications = Static<typeof Applications>;
export const ConsoleApplicationCreated = Type.Object({ appId: Type.String() });
export type ConsoleApplicationCreated = Static<typeof ConsoleApplicationCreated>;
