import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import forge from 'node-forge';
import Provider from 'oidc-provider';
import { Agent, fetch as undiciFetch } from 'undici';
import { SignedXml } from 'xml-crypto';

/** A key pair as PEM, made with node:crypto (fast), for forge to put into certificates. */
function rsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function certificate(options: {
  subject: string;
  publicKeyPem: string;
  issuer?: { name: string; privateKeyPem: string };
  signingKeyPem: string;
  ca?: boolean;
  hosts?: string[];
}) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(options.publicKeyPem);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3_600_000);
  cert.setSubject([{ name: 'commonName', value: options.subject }]);
  cert.setIssuer([{ name: 'commonName', value: options.issuer?.name ?? options.subject }]);
  const extensions: object[] = [{ name: 'basicConstraints', cA: Boolean(options.ca), critical: true }];
  if (options.ca) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  if (options.hosts) {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: true });
    extensions.push({
      name: 'subjectAltName',
      altNames: options.hosts.map((host) =>
        /^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host },
      ),
    });
  }
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(options.signingKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * A certificate authority made for one test run, and a TLS certificate it issued for the loopback
 * host, so identity providers in tests are served over real https that only this test trusts.
 */
export function makeTestCa() {
  const caKeys = rsaKeyPair();
  const caCert = certificate({
    subject: 'Switchboard Test CA',
    publicKeyPem: caKeys.publicKeyPem,
    signingKeyPem: caKeys.privateKeyPem,
    ca: true,
  });
  const serverKeys = rsaKeyPair();
  const serverCert = certificate({
    subject: 'localhost',
    publicKeyPem: serverKeys.publicKeyPem,
    issuer: { name: 'Switchboard Test CA', privateKeyPem: caKeys.privateKeyPem },
    signingKeyPem: caKeys.privateKeyPem,
    hosts: ['localhost', '127.0.0.1'],
  });
  return { caCert, tls: { key: serverKeys.privateKeyPem, cert: serverCert } };
}

/** A fetch that trusts the test CA (and only it), as an operator's own fetch would trust their CA. */
export function fetchTrusting(caCert: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: caCert } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}

/** A port free on loopback now, so a server can be told its public URL before it starts. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listenHttps(tls: { key: string; cert: string }): Promise<{ server: Server; origin: string }> {
  const server = createHttpsServer(tls);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `https://localhost:${(server.address() as { port: number }).port}` };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * A real OpenID Connect provider (oidc-provider 9) on loopback over https, with its development
 * sign-in and consent pages: any login name signs in as that person, whose email is the login name.
 */
export async function startOidcProvider(
  ca: ReturnType<typeof makeTestCa>,
  client: { clientId: string; clientSecret: string; redirectUri: string },
) {
  const { server, origin } = await listenHttps(ca.tls);
  const provider = new Provider(origin, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: 'test',
        },
      ],
    },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: `Person ${id.split('@')[0]}` };
        },
      };
    },
  });
  server.on('request', provider.callback());
  return { issuer: origin, stop: () => close(server) };
}

const SAML_NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
};

/** XML text escaping for values put into the test IdP's documents. */
const xmlText = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A SAML 2.0 identity provider on loopback over https: it reads the AuthnRequest from its SSO URL
 * (HTTP-Redirect binding) and answers the auto-posting form real IdPs answer, carrying a Response
 * whose assertion it signs with its own key (xml-crypto). `signedInAs` is its signed-in user.
 */
export async function startSamlIdp(ca: ReturnType<typeof makeTestCa>) {
  const keys = rsaKeyPair();
  const signingCert = certificate({
    subject: 'Test SAML IdP',
    publicKeyPem: keys.publicKeyPem,
    signingKeyPem: keys.privateKeyPem,
  });
  const { server, origin } = await listenHttps(ca.tls);
  const entityId = `${origin}/metadata`;
  const ssoUrl = `${origin}/sso`;
  const state = { signedInAs: '' };
  const certBody = signingCert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  const metadataXml = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  /** A signed Response to an AuthnRequest, for `email`. */
  const respond = (authnRequestXml: string, email: string) => {
    const requestId = /\sID="([^"]+)"/.exec(authnRequestXml)?.[1] ?? '';
    const acsUrl = /AssertionConsumerServiceURL="([^"]+)"/.exec(authnRequestXml)?.[1] ?? '';
    const audience = /<(?:saml:)?Issuer[^>]*>([^<]+)</.exec(authnRequestXml)?.[1] ?? '';
    const now = new Date();
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
    const xml = `<samlp:Response xmlns:samlp="${SAML_NS.protocol}" xmlns:saml="${SAML_NS.assertion}" ID="_${randomUUID()}" Version="2.0" IssueInstant="${at(0)}" Destination="${acsUrl}" InResponseTo="${requestId}"><saml:Issuer>${entityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_${randomUUID()}" Version="2.0" IssueInstant="${at(0)}"><saml:Issuer>${entityId}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${xmlText(email)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${requestId}" NotOnOrAfter="${at(5)}" Recipient="${acsUrl}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${at(-1)}" NotOnOrAfter="${at(5)}"><saml:AudienceRestriction><saml:Audience>${xmlText(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="_${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${xmlText(email)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`;
    const signer = new SignedXml({
      privateKey: keys.privateKeyPem,
      publicCert: signingCert,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    signer.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      transforms: [
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    signer.computeSignature(xml, {
      location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    return { xml: signer.getSignedXml(), acsUrl };
  };

  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/metadata') {
      response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadataXml);
      return;
    }
    if (url.pathname === '/sso' && state.signedInAs) {
      const authnRequest = inflateRawSync(
        Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64'),
      ).toString();
      const { xml, acsUrl } = respond(authnRequest, state.signedInAs);
      const relayState = url.searchParams.get('RelayState') ?? '';
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<html><body onload="document.forms[0].submit()"><form method="post" action="${acsUrl}">` +
            `<input type="hidden" name="SAMLResponse" value="${Buffer.from(xml).toString('base64')}"/>` +
            `<input type="hidden" name="RelayState" value="${xmlText(relayState)}"/></form></body></html>`,
        );
      return;
    }
    response.writeHead(404).end('not found');
  });
  return {
    entityId,
    ssoUrl,
    metadataUrl: entityId,
    metadataXml,
    signingCert,
    signInAs(email: string) {
      state.signedInAs = email;
    },
    stop: () => close(server),
  };
}
