import { Alert } from '@mantine/core';
import { useSearchParams } from 'react-router';

/** The outcome of a test sign-in, from the address the server sends the browser back to. */
export function TestOutcome() {
  const [params, setParams] = useSearchParams();
  const outcome = params.get('sso_test');
  if (outcome !== 'passed' && outcome !== 'failed') return null;
  const dismiss = () => setParams({}, { replace: true });
  if (outcome === 'passed') {
    return (
      <Alert color="teal" title="Test sign-in passed" role="status" withCloseButton onClose={dismiss}>
        The identity provider is active: members can now choose “Sign in with SSO”.
      </Alert>
    );
  }
  return (
    <Alert color="red" title="Test sign-in failed" role="alert" withCloseButton onClose={dismiss}>
      {params.get('message') ?? 'The identity provider did not sign you in.'}
      {params.get('sso_error') ? ` (${params.get('sso_error')})` : ''}
    </Alert>
  );
}
