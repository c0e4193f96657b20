import type { SsoView } from '@server/modules/sso/schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

export type { ServiceProvider, SsoConnection, SsoView } from '@server/modules/sso/schemas';

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
