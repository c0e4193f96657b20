import { Alert } from '@mantine/core';
import { useSearchParams } from 'react-router';

/** Why sign-in through the identity provider was refused, from /signin?sso_error=CODE&message=TEXT. */
export function SsoRefusal() {
  const [params, setParams] = useSearchParams();
  const code = params.get('sso_error');
  if (!code) return null;
  const dismiss = () => {
    const next = new URLSearchParams(params);
    next.delete('sso_error');
    next.delete('message');
    setParams(next, { replace: true });
  };
  return (
    <Alert color="red" title="Single sign-on failed" role="alert" withCloseButton onClose={dismiss} mb="md">
      {params.get('message') ?? `The identity provider did not sign you in (${code}).`}
    </Alert>
  );
}
