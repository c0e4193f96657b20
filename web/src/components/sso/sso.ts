import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import type { Role } from '../../roles';

interface ConnectionBase {
  id: string;
  status: 'testing' | 'active';
  createdAt: string;
  activatedAt: string | null;
}

/** An identity provider as the console shows it: never the client secret. */
export type SsoConnection = ConnectionBase &
  (
    | { protocol: 'oidc'; oidc: { issuer: string; clientId: string } }
    | {
        protocol: 'saml';
        saml: {
          entityId: string;
          ssoUrl: string;
          metadataUrl: string | null;
          certificates: { subject: string; fingerprintSha256: string; validTo: string }[];
        };
      }
  );

/** Where identity providers send people back, to enter at the IdP. */
export interface ServiceProvider {
  oidcRedirectUri: string;
  samlAcsUrl: string;
  samlEntityId: string;
  samlMetadataUrl: string;
}

/** GET /api/sso: whether staff turned SSO on, the active provider, one under test, and the options. */
export interface SsoView {
  enabled: boolean;
  requireSso: boolean;
  jitRole: Exclude<Role, 'owner'> | null;
  verifiedDomain: string | null;
  connection: SsoConnection | null;
  pendingConnection: SsoConnection | null;
  serviceProvider: ServiceProvider;
}

export const ssoKey = ['sso'] as const;

export function useSso(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ssoKey,
    queryFn: () => api.get<SsoView>('/api/sso'),
    enabled: options.enabled ?? true,
  });
}

/** Sends the browser to the identity provider's sign-in page. */
export function goToIdentityProvider(url: string) {
  window.location.assign(url);
}

export const protocolNames = { oidc: 'OpenID Connect', saml: 'SAML 2.0' } as const;
