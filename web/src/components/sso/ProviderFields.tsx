import { PasswordInput, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { ConnectionInput } from '@server/modules/sso/schemas';

export interface ProviderForm {
  protocol: 'oidc' | 'saml';
  issuer: string;
  clientId: string;
  clientSecret: string;
  samlSource: 'metadataXml' | 'metadataUrl' | 'manual';
  metadataXml: string;
  metadataUrl: string;
  entityId: string;
  ssoUrl: string;
  certificate: string;
}

export const emptyProviderForm: ProviderForm = {
  protocol: 'oidc',
  issuer: '',
  clientId: '',
  clientSecret: '',
  samlSource: 'metadataXml',
  metadataXml: '',
  metadataUrl: '',
  entityId: '',
  ssoUrl: '',
  certificate: '',
};

/** POST /api/sso/connections's body: only the fields of the chosen protocol and SAML source. */
export function connectionBody(form: ProviderForm): ConnectionInput {
  if (form.protocol === 'oidc') {
    return {
      protocol: 'oidc',
      issuer: form.issuer,
      clientId: form.clientId,
      clientSecret: form.clientSecret,
    };
  }
  if (form.samlSource === 'metadataXml') return { protocol: 'saml', metadataXml: form.metadataXml };
  if (form.samlSource === 'metadataUrl') return { protocol: 'saml', metadataUrl: form.metadataUrl };
  return { protocol: 'saml', entityId: form.entityId, ssoUrl: form.ssoUrl, certificate: form.certificate };
}

type Field = Exclude<keyof ProviderForm, 'protocol' | 'samlSource'>;

/** The identity provider's details: OpenID Connect's issuer and client, or SAML 2.0's metadata. */
export function ProviderFields({
  form,
  onChange,
  errorOf,
}: {
  form: ProviderForm;
  onChange: (change: Partial<ProviderForm>) => void;
  errorOf: (field: Field) => string | undefined;
}) {
  const text = (field: Field, label: string, extra: { description?: string; placeholder?: string } = {}) => (
    <TextInput
      label={label}
      required
      value={form[field]}
      onChange={(event) => onChange({ [field]: event.currentTarget.value })}
      error={errorOf(field)}
      {...extra}
    />
  );
  if (form.protocol === 'oidc') {
    return (
      <Stack gap="sm">
        {text('issuer', 'Issuer URL', {
          placeholder: 'https://login.example.com',
          description: 'https, with discovery at /.well-known/openid-configuration',
        })}
        {text('clientId', 'Client ID')}
        <PasswordInput
          label="Client secret"
          required
          autoComplete="off"
          value={form.clientSecret}
          onChange={(event) => onChange({ clientSecret: event.currentTarget.value })}
          error={errorOf('clientSecret')}
        />
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <div>
        <Text fz="sm" fw={500} mb={4}>
          Identity provider details
        </Text>
        <SegmentedControl
          aria-label="Identity provider details"
          value={form.samlSource}
          onChange={(value) => onChange({ samlSource: value as ProviderForm['samlSource'] })}
          data={[
            { value: 'metadataXml', label: 'Metadata XML' },
            { value: 'metadataUrl', label: 'Metadata URL' },
            { value: 'manual', label: 'Enter manually' },
          ]}
        />
      </div>
      {form.samlSource === 'metadataXml' && (
        <Textarea
          label="Metadata XML"
          required
          autosize
          minRows={4}
          maxRows={10}
          value={form.metadataXml}
          onChange={(event) => onChange({ metadataXml: event.currentTarget.value })}
          error={errorOf('metadataXml')}
        />
      )}
      {form.samlSource === 'metadataUrl' &&
        text('metadataUrl', 'Metadata URL', { placeholder: 'https://idp.example.com/metadata' })}
      {form.samlSource === 'manual' && (
        <>
          {text('entityId', 'Entity ID')}
          {text('ssoUrl', 'Single sign-on URL', { description: 'HTTP-Redirect binding' })}
          <Textarea
            label="Signing certificate"
            description="PEM (-----BEGIN CERTIFICATE-----)"
            required
            autosize
            minRows={4}
            maxRows={10}
            value={form.certificate}
            onChange={(event) => onChange({ certificate: event.currentTarget.value })}
            error={errorOf('certificate')}
          />
        </>
      )}
    </Stack>
  );
}
