import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { AssignableRole } from '../team/schemas.js';

const Protocol = Type.Union([Type.Literal('oidc'), Type.Literal('saml')]);
const Url = Type.String({ minLength: 8, maxLength: 2000 });

// One object for both protocols (not a union of two closed objects: dropping unknown fields while
// trying the first branch would strip the second branch's fields before it is tried).
export const ConnectionInput = Type.Object({
  protocol: Protocol,
  issuer: Type.Optional(Url),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  metadataXml: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000 })),
  metadataUrl: Type.Optional(Url),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  ssoUrl: Type.Optional(Url),
  certificate: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
});
export type ConnectionInput = Static<typeof ConnectionInput>;

export const ConnectionParams = Type.Object({ connectionId: Type.String({ format: 'uuid' }) });

export const SsoSettingsInput = Type.Object({
  requireSso: Type.Optional(Type.Boolean()),
  jitRole: Type.Optional(Type.Union([AssignableRole, Type.Null()])),
});
export type SsoSettingsInput = Static<typeof SsoSettingsInput>;

export const StartSsoSignIn = Type.Object({
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  authId: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })),
});
export type StartSsoSignIn = Static<typeof StartSsoSignIn>;

export const SsoRedirect = Type.Object({
  redirectUrl: Type.String({ description: "the identity provider's sign-in page" }),
});
export type SsoRedirect = Static<typeof SsoRedirect>;

export const SamlPost = Type.Object({
  SAMLResponse: Type.String({ minLength: 1, maxLength: 500_000 }),
  RelayState: Type.Optional(Type.String({ maxLength: 200 })),
});

const ConnectionBase = {
  id: Type.String({ format: 'uuid' }),
  status: Type.Union([Type.Literal('testing'), Type.Literal('active'), Type.Literal('retired')]),
  createdAt: Timestamp(),
  activatedAt: Type.Union([Timestamp(), Type.Null()]),
};

/** An identity provider as the console shows it: never the client secret. */
export const SsoConnection = Type.Union([
  Type.Object({
    ...ConnectionBase,
    protocol: Type.Literal('oidc'),
    oidc: Type.Object({
      issuer: Type.Union([Type.String(), Type.Null()]),
      clientId: Type.Union([Type.String(), Type.Null()]),
      clientSecretSet: Type.Boolean(),
    }),
  }),
  Type.Object({
    ...ConnectionBase,
    protocol: Type.Literal('saml'),
    saml: Type.Object({
      entityId: Type.Union([Type.String(), Type.Null()]),
      ssoUrl: Type.Union([Type.String(), Type.Null()]),
      metadataUrl: Type.Union([Type.String(), Type.Null()]),
      certificates: Type.Array(
        Type.Object({ subject: Type.String(), fingerprintSha256: Type.String(), validTo: Timestamp() }),
      ),
    }),
  }),
]);
export type SsoConnection = Wire<Static<typeof SsoConnection>>;

/** Where identity providers send people back, to enter at the IdP. */
export const ServiceProvider = Type.Object({
  oidcRedirectUri: Type.String(),
  samlAcsUrl: Type.String(),
  samlEntityId: Type.String(),
  samlMetadataUrl: Type.String(),
});
export type ServiceProvider = Static<typeof ServiceProvider>;

/** GET /api/sso: whether staff turned SSO on, the active provider, one under test, and the options. */
export const SsoView = Type.Object({
  enabled: Type.Boolean(),
  requireSso: Type.Boolean(),
  jitRole: Type.Union([AssignableRole, Type.Null()]),
  verifiedDomain: Type.Union([Type.String(), Type.Null()]),
  connection: Type.Union([SsoConnection, Type.Null()]),
  pendingConnection: Type.Union([SsoConnection, Type.Null()]),
  serviceProvider: ServiceProvider,
});
export type SsoView = Wire<Static<typeof SsoView>>;

/** A provider saved under test, and the test sign-in that activates it. */
export const ConnectionSaved = Type.Object({ connection: SsoConnection, testUrl: Type.String() });
export type ConnectionSaved = Wire<Static<typeof ConnectionSaved>>;

export const TestSignIn = Type.Object({ testUrl: Type.String() });
export type TestSignIn = Static<typeof TestSignIn>;

/** 303: the browser goes on to the URL in Location. */
export const SeeOther = Type.Unsafe<undefined>(
  Type.Null({ description: 'See Other: the Location header says where' }),
);

export const SamlMetadata = Type.String({ description: 'SAML service-provider metadata (XML)' });

export const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });

/** Staff: whether SSO is available to an account, and how it is used. */
export const StaffSsoView = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Type.Union([Timestamp(), Type.Null()]),
  activeProtocol: Type.Union([Protocol, Type.Null()]),
  requireSso: Type.Boolean(),
});
export type StaffSsoView = Wire<Static<typeof StaffSsoView>>;

export const SetSsoAvailable = Type.Object({
  enabled: Type.Boolean(),
  reason: Type.String({
    minLength: 1,
    maxLength: 500,
    description: 'why: shown to the customer in their audit log',
  }),
});
export type SetSsoAvailable = Static<typeof SetSsoAvailable>;
