import { SimpleGrid, Text } from '@mantine/core';
import { CredentialValue } from '../credentials/CredentialValue';
import type { ServiceProvider } from './sso';

/** The addresses to register at the identity provider, for the chosen protocol. */
export function ServiceProviderUrls({
  protocol,
  urls,
}: {
  protocol: 'oidc' | 'saml';
  urls: ServiceProvider;
}) {
  return (
    <div>
      <Text fz="sm" fw={500} mb={4}>
        Register Switchboard at your identity provider
      </Text>
      {protocol === 'oidc' ? (
        <CredentialValue
          label="Redirect URI"
          value={urls.oidcRedirectUri}
          testId="oidc-redirect-uri"
          hint="Authorization code flow with PKCE; scopes openid email profile; client authentication client_secret_basic."
        />
      ) : (
        <SimpleGrid cols={1} spacing="xs">
          <CredentialValue
            label="Assertion consumer service URL (HTTP-POST)"
            value={urls.samlAcsUrl}
            testId="saml-acs-url"
          />
          <CredentialValue
            label="Entity ID (audience) and metadata"
            value={urls.samlEntityId}
            testId="saml-entity-id"
            hint="The identity provider must send the person's email (NameID or an email attribute) and sign its response."
          />
        </SimpleGrid>
      )}
    </div>
  );
}
