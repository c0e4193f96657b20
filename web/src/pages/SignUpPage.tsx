import { Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, fieldError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { FormAlert } from '../components/FormAlert';
import { NewPasswordField } from '../components/NewPasswordField';
import { reloadSession } from '../session';

/** Sign up with name, work email and password; the account starts onboarding at once. */
export function SignUpPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signUp = useMutation({
    mutationFn: (input: { name: string; email: string; password: string }) => api.post('/api/signup', input),
    onSuccess: async () => {
      await reloadSession(queryClient);
      navigate('/onboarding');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate({ name, email, password });
  };

  return (
    <AuthLayout
      title="Create your account"
      description="Voice and messaging APIs for your business. Sign up with your work email."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/signin">
            Sign in
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Full name"
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldError(signUp.error, 'name')}
          />
          <TextInput
            label="Work email"
            name="email"
            type="email"
            autoComplete="email"
            description="Personal and disposable addresses (gmail.com and the like) are not accepted."
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(signUp.error, 'email')}
          />
          <NewPasswordField
            label="Password"
            value={password}
            onChange={setPassword}
            refusal={fieldError(signUp.error, 'password')}
            refusedValue={signUp.variables?.password}
            name={name}
            email={email}
          />
          <FormAlert error={signUp.error} fields={['name', 'email', 'password']} />
          <Button type="submit" loading={signUp.isPending} fullWidth>
            Sign up
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
