import type { AuthenticationOptions, RegistrationOptions } from '@server/modules/identity/passkey-schemas';
import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';
import { api } from './api';

/** The browser's refusals, in words: the person cancelled, took too long, or has no passkey here. */
function explained(error: unknown): Error {
  if (error instanceof WebAuthnError || (error instanceof Error && error.name === 'NotAllowedError'))
    return new Error('The passkey request was cancelled or timed out. Try again when you are ready.');
  return error instanceof Error ? error : new Error(String(error));
}

/** Asks the server for a new passkey's options (at `optionsPath`) and the authenticator to create it. */
export async function createPasskey(optionsPath: string) {
  const { options } = await api.post<RegistrationOptions>(optionsPath);
  try {
    return await startRegistration({ optionsJSON: options });
  } catch (error) {
    throw explained(error);
  }
}

/** Asks the server for a challenge (at `optionsPath`) and the authenticator to sign it with a passkey. */
export async function signWithPasskey(optionsPath: string) {
  const { options } = await api.post<AuthenticationOptions>(optionsPath);
  try {
    return await startAuthentication({ optionsJSON: options });
  } catch (error) {
    throw explained(error);
  }
}
