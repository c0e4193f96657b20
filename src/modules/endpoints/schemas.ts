import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { AccountParams } from '../../http/plivo-schemas.js';

const EndpointId = Type.String({ maxLength: 40 });
const Username = Type.String({ maxLength: 40 });
const Password = Type.String({ maxLength: 256 });
const Alias = Type.String({ maxLength: 200 });
const AppId = Type.String({ maxLength: 40 });

export const EndpointParams = Type.Composite([AccountParams, Type.Object({ endpointId: EndpointId })]);

export const EndpointCreate = Type.Object({
  username: Username,
  password: Password,
  alias: Alias,
  app_id: Type.Optional(AppId),
});

export const EndpointUpdate = Type.Object({
  password: Type.Optional(Password),
  alias: Type.Optional(Alias),
  app_id: Type.Optional(AppId),
});

/** An endpoint, in Plivo's fields; its SIP registration as the SIP server last reported it (null when not registered now). */
export const Endpoint = Type.Object({
  alias: Type.String(),
  application: Nullable(Type.String({ description: 'the linked application’s URI' })),
  endpoint_id: Type.String(),
  resource_uri: Type.String(),
  sip_contact: Nullable(Type.String({ description: "the registration's Contact URI" })),
  sip_expires: Nullable(
    Type.String({ description: 'when the registration expires (UTC, as Plivo writes times)' }),
  ),
  sip_registered: Type.String({ description: '"true" or "false", as Plivo writes it' }),
  sip_uri: Type.String(),
  sip_user_agent: Nullable(Type.String()),
  sub_account: Nullable(Type.String()),
  username: Type.String(),
});
export type Endpoint = Static<typeof Endpoint>;

export const EndpointCreated = Type.Object({
  api_id: Type.String(),
  alias: Type.String(),
  endpoint_id: Type.String(),
  message: Type.String(),
  username: Type.String({ description: 'the username made unique' }),
});

export const ConsoleEndpointParams = Type.Object({ endpointId: EndpointId });

/** Where a SIP device registered as the endpoint, as its SIP server reported it. */
export const ConsoleRegistration = Type.Object({
  contact: Type.String({ description: "the device's SIP contact, such as <sip:alice@192.0.2.7:5060>" }),
  userAgent: Type.String({ description: "the device's User-Agent; empty when it sent none" }),
  received: Nullable(Type.String({ description: 'the address the REGISTER came from' })),
  registeredAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time', description: 'no longer registered after this' }),
});
export type ConsoleRegistration = Static<typeof ConsoleRegistration>;

/** An endpoint as the Endpoints page lists it. */
export const ConsoleEndpoint = Type.Object({
  endpointId: Type.String(),
  username: Type.String(),
  alias: Type.String(),
  appId: Nullable(Type.String()),
  subaccount: Nullable(Type.String({ description: 'SA Auth ID; null for the main account' })),
  sipUri: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  registrations: Type.Array(ConsoleRegistration, {
    description: 'where it is registered now, newest first; empty: not registered',
  }),
});
export type ConsoleEndpoint = Static<typeof ConsoleEndpoint>;

export const ConsoleEndpoints = Type.Object({
  endpoints: Type.Array(ConsoleEndpoint),
  total: Type.Integer(),
});
export type ConsoleEndpoints = Static<typeof ConsoleEndpoints>;

export const ConsoleEndpointCreate = Type.Object({
  username: Username,
  password: Password,
  alias: Alias,
  appId: Type.Optional(AppId),
  subaccount: Type.Optional(
    Type.String({ maxLength: 40, description: 'SA Auth ID the endpoint belongs to' }),
  ),
});
export type ConsoleEndpointCreate = Static<typeof ConsoleEndpointCreate>;

export const ConsoleEndpointCreated = Type.Object({
  endpointId: Type.String(),
  username: Type.String(),
  alias: Type.String(),
});
export type ConsoleEndpointCreated = Static<typeof ConsoleEndpointCreated>;

export const ConsoleEndpointChange = Type.Object({
  password: Type.Optional(Password),
  alias: Type.Optional(Alias),
  appId: Type.Optional(Nullable(AppId)),
});
export type ConsoleEndpointChange = Static<typeof ConsoleEndpointChange>;
