import plivo from 'plivo';
import type { TestServer } from './server.js';

/** The official plivo SDK pointed at a test server with its `url` option, as a customer would. */
export const sdk = (server: TestServer, authId: string, authToken: string) =>
  new plivo.Client(authId, authToken, { url: `${server.url}/v1/Account/${authId}` });

/** What the SDK throws: a plain Error with the HTTP status and the server's error message. */
export type SdkError = { status: number; message: string };

/** Awaits a call that must fail and answers its error. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (error: unknown) => error as SdkError,
  );
