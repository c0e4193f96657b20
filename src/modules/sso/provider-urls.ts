/** Where identity providers send people back, for their administrators to enter. */
export function serviceProviderUrls(publicUrl: string) {
  return {
    oidcRedirectUri: `${publicUrl}/api/sso/oidc/callback`,
    samlAcsUrl: `${publicUrl}/api/sso/saml/acs`,
    samlEntityId: `${publicUrl}/api/sso/saml/metadata`,
    samlMetadataUrl: `${publicUrl}/api/sso/saml/metadata`,
  };
}

export type ServiceProviderUrls = ReturnType<typeof serviceProviderUrls>;
