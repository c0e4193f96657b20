import { X509Certificate } from 'node:crypto';
import type { CacheProvider, SAML } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { SsoErrors } from './errors.js';
import type { IdpIdentity } from './oidc.js';

/** A SAML 2.0 identity provider as Switchboard keeps it. */
export interface SamlProvider {
  entityId: string;
  ssoUrl: string;
  /** PEM certificates the IdP signs with (several while it rolls its key over). */
  certificates: string[];
}

/** Switchboard's side: one service provider for every account, named by its metadata URL. */
export interface ServiceProvider {
  entityId: string;
  acsUrl: string;
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** How long the IdP may take between our request and its answer (the attempt itself expires sooner). */
const REQUEST_LIFETIME_MS = 15 * 60_000;

const invalid = (field: string, message: string) => SsoErrors.samlConfigInvalid(message, field);

/** Reads entity ID, HTTP-Redirect single sign-on URL and signing certificates from IdP metadata XML. */
export function parseIdpMetadata(xml: string): SamlProvider {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement;
  const descriptor =
    root && errors.length === 0
      ? root.localName === 'EntityDescriptor'
        ? root
        : root.getElementsByTagNameNS(MD, 'EntityDescriptor')[0]
      : undefined;
  if (!descriptor) throw invalid('metadataXml', 'This is not SAML metadata: no EntityDescriptor was found.');
  const idp = descriptor.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];
  if (!idp) throw invalid('metadataXml', 'The metadata describes no identity provider (IDPSSODescriptor).');
  const entityId = descriptor.getAttribute('entityID') ?? '';
  const services = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService'));
  const redirect = services.find((s) => s.getAttribute('Binding') === REDIRECT_BINDING);
  const certificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => c.textContent ?? '');
  if (!redirect) {
    throw invalid(
      'metadataXml',
      'The identity provider offers no single sign-on service with the HTTP-Redirect binding.',
    );
  }
  return checkProvider(
    { entityId, ssoUrl: redirect.getAttribute('Location') ?? '', certificates },
    'metadataXml',
  );
}

/** Validates an IdP's entity ID, https SSO URL and certificates (PEM or bare base64), answering PEMs. */
export function checkProvider(provider: SamlProvider, field = 'certificate'): SamlProvider {
  if (!provider.entityId.trim()) throw invalid('entityId', 'Enter the identity provider’s entity ID.');
  let ssoUrl: URL;
  try {
    ssoUrl = new URL(provider.ssoUrl);
  } catch {
    throw invalid('ssoUrl', 'The single sign-on URL must be a URL such as https://idp.example.com/sso.');
  }
  if (ssoUrl.protocol !== 'https:')
    throw invalid('ssoUrl', 'The single sign-on URL must be an https:// address.');
  if (provider.certificates.length === 0)
    throw invalid(field, 'Add the identity provider’s signing certificate.');
  const certificates = provider.certificates.map((text) => {
    const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
    try {
      new X509Certificate(pem);
    } catch {
      throw invalid(field, 'The signing certificate is not a valid X.509 certificate (PEM or base64).');
    }
    return pem;
  });
  return { entityId: provider.entityId.trim(), ssoUrl: ssoUrl.href, certificates };
}

/** What the console shows about a certificate: who it names, its SHA-256 fingerprint and when it expires. */
export function describeCertificate(pem: string) {
  const certificate = new X509Certificate(pem);
  return {
    subject: certificate.subject,
    fingerprintSha256: certificate.fingerprint256,
    validTo: new Date(certificate.validTo),
  };
}

/**
 * SAML 2.0 with node-saml: AuthnRequests over HTTP-Redirect, responses over HTTP-POST. A response is
 * accepted only when an IdP certificate signed it (the whole response or its assertion), its
 * audience is Switchboard, its issuer is the configured IdP, its times hold, and its InResponseTo
 * names the request this sign-in attempt sent.
 */
export class SamlClient {
  constructor(private readonly sp: ServiceProvider) {}

  // node-saml and its XML signature stack load with the first SAML request, not at start.
  private async saml(provider: SamlProvider, cacheProvider?: CacheProvider, requestId?: string) {
    const { SAML, ValidateInResponseTo } = await import('@node-saml/node-saml');
    return new SAML({
      issuer: this.sp.entityId,
      callbackUrl: this.sp.acsUrl,
      audience: this.sp.entityId,
      entryPoint: provider.ssoUrl,
      idpIssuer: provider.entityId,
      idpCert: provider.certificates,
      identifierFormat: EMAIL_FORMAT,
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: 60_000,
      requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS,
      validateInResponseTo: ValidateInResponseTo.always,
      ...(cacheProvider ? { cacheProvider } : {}),
      ...(requestId ? { generateUniqueId: () => requestId } : {}),
    });
  }

  /** The IdP's sign-in URL carrying a deflated AuthnRequest with this ID, and RelayState. */
  async authorizationUrl(provider: SamlProvider, requestId: string, relayState: string): Promise<string> {
    const saml = await this.saml(provider, undefined, requestId);
    return saml.getAuthorizeUrlAsync(relayState, undefined, {});
  }

  /** Switchboard's service-provider metadata for the IdP's administrators. */
  async metadata(): Promise<string> {
    const { generateServiceProviderMetadata } = await import('@node-saml/node-saml');
    return generateServiceProviderMetadata({
      issuer: this.sp.entityId,
      callbackUrl: this.sp.acsUrl,
      identifierFormat: EMAIL_FORMAT,
      wantAssertionsSigned: true,
    });
  }

  /** Verifies a POSTed SAMLResponse answering the request `requestId` (sent at `requestedAt`). */
  async complete(
    provider: SamlProvider,
    samlResponse: string,
    request: { id: string; sentAt: Date },
  ): Promise<IdpIdentity> {
    // InResponseTo is checked against this attempt's own request only; the attempt row, not this
    // cache, is what makes the response single use.
    const cacheProvider: CacheProvider = {
      saveAsync: async () => null,
      getAsync: async (key) => (key === request.id ? request.sentAt.toISOString() : null),
      removeAsync: async () => null,
    };
    let profile: Awaited<ReturnType<SAML['validatePostResponseAsync']>>['profile'];
    try {
      const saml = await this.saml(provider, cacheProvider);
      ({ profile } = await saml.validatePostResponseAsync({
        SAMLResponse: samlResponse,
      }));
    } catch (error) {
      throw SsoErrors.responseInvalid(
        `The identity provider's answer could not be verified (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    if (!profile) throw SsoErrors.responseInvalid('The identity provider signed no one in.');
    if (profile.issuer !== provider.entityId) {
      throw SsoErrors.responseInvalid('The answer came from another identity provider.');
    }
    const attribute = (name: string) => {
      const value = profile[name];
      return typeof value === 'string' && value.includes('@') ? value : undefined;
    };
    const email =
      attribute('email') ??
      attribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress') ??
      (profile.nameIDFormat === EMAIL_FORMAT || profile.nameID.includes('@') ? profile.nameID : undefined);
    if (!email) {
      throw SsoErrors.emailMissing(
        'The identity provider did not send an email address: use the email NameID format or an "email" attribute.',
      );
    }
    const displayName =
      profile['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'] ?? profile.displayName ?? null;
    return {
      email,
      name: typeof displayName === 'string' ? displayName : null,
      subject: profile.nameID,
    };
  }
}

/** Certificates are kept as concatenated PEM blocks. */
export function splitCertificates(stored: string | null): string[] {
  return (stored ?? '').split(/(?<=-----END CERTIFICATE-----\n)/).filter((pem) => pem.trim() !== '');
}
