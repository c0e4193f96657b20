import { createHmac } from 'node:crypto';
import plivo from 'plivo';
import { describe, expect, it } from 'vitest';
import { newSignatureNonce, type SignatureV3Request, signatureV3 } from './plivo-signature.js';

/** Verifies as a customer's server does, with the official SDK. */
const sdkAccepts = (request: SignatureV3Request, signature: string, token = request.authToken) =>
  plivo.validateV3Signature(request.method, request.url, request.nonce, token, signature, request.params);

/** Plivo's own test vectors (plivo-go utils_test.go, also in plivo-ruby and plivo-dotnet). */
const plivoVector = {
  authToken: 'Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4',
  nonce: '31627761595286130198',
  params: {
    Direction: 'outbound',
    From: '19792014278',
    ALegUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
    CallStatus: 'in-progress',
    BillRate: '0.002',
    ParentAuthID: 'MANWVLYTK4ZWU1YTY4QA',
    To: 'sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com',
    ALegRequestUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
    CallUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
    RequestUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
    'SIP-H-To': '<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1',
    SessionStart: '2020-04-08 11:34:33.238707',
    Event: 'StartApp',
  },
};
const vectorUrl = 'https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml';

/** A message status callback as the Message API will send it. */
const statusFields = {
  MessageUUID: 'db3ce55a-7f1d-11e1-8ea7-1231380bc196',
  From: '14155550100',
  To: '14155550101',
  Status: 'delivered',
  Units: '1',
  TotalRate: '0.00350',
  TotalAmount: '0.00350',
  ErrorCode: '',
  Type: 'sms',
};
const statusCallback = { authToken: 'secret-token-xyz', nonce: '05429567804466091622' };

/** The signature of a signed text computed by hand, to check which text a request signs. */
const hmacOf = (token: string, text: string, nonce: string) =>
  createHmac('sha256', token).update(`${text}.${nonce}`).digest('base64');

describe('X-Plivo-Signature-V3 against Plivo’s test vectors', () => {
  it.each([
    ['POST', `${vectorUrl}/?a=b&c=d`, 'k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c='],
    ['GET', `${vectorUrl}/?a=b&c=d`, 'UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ='],
    ['POST', vectorUrl, 'iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0='],
    ['GET', vectorUrl, 'i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc='],
  ] as const)('%s %s signs as Plivo does', (method, url, expected) => {
    expect(signatureV3({ ...plivoVector, method, url })).toBe(expected);
  });

  it('signs a status callback POSTed to a URL with a query', () => {
    const request = {
      ...statusCallback,
      method: 'POST',
      url: 'http://127.0.0.1:8080/status?src=test',
      params: statusFields,
    } as const;
    expect(signatureV3(request)).toBe('A8Mh/NXHV26ObhbUs6UiQSEutICRv8Fp5aRTD9EuMIQ=');
  });

  it('signs a status callback sent by GET the same whether its fields are in the URL or given apart', () => {
    const expected = 'yEzDvNAmpxfxEwhUArl2EmoPldlNONMKXwPnxtiMI9s=';
    const apart = { ...statusCallback, method: 'GET', url: 'http://127.0.0.1:8080/status?src=test' } as const;
    expect(signatureV3({ ...apart, params: statusFields })).toBe(expected);
    const inUrl = `${apart.url}&${new URLSearchParams(statusFields).toString()}`;
    expect(signatureV3({ ...apart, url: inUrl, params: {} })).toBe(expected);
  });

  it.each([
    ['POST without fields signs the bare URL', 'https://example.com/cb/', {}, 'https://example.com/cb/'],
    [
      'POST concatenates sorted fields after ?',
      'https://example.com/cb/',
      { b: '2', a: '1' },
      'https://example.com/cb/?a1b2',
    ],
    [
      'POST puts the URL query, then a dot, then the fields',
      'https://example.com/cb/?z=9',
      { a: '1' },
      'https://example.com/cb/?z=9.a1',
    ],
    ['a port is kept as written', 'https://example.com:443/cb', { a: '1' }, 'https://example.com:443/cb?a1'],
    ['a URL without a path signs without a slash', 'https://example.com', {}, 'https://example.com'],
    [
      'user info and the fragment are not signed',
      'https://u:p@example.com/cb?x=1#top',
      {},
      'https://example.com/cb?x=1',
    ],
  ] as const)('%s', (_, url, params, text) => {
    const nonce = '12345678901234567890';
    expect(signatureV3({ method: 'POST', url, params, authToken: 't0k3n', nonce })).toBe(
      hmacOf('t0k3n', text, nonce),
    );
  });
});

describe('X-Plivo-Signature-V3 verified by the official SDK', () => {
  const authToken = 'ZjM0YTk1NGQ3YjRkNTg3MjgxMzY2ZWQ1NjVkNzQ2';

  it('verifies a POST of form fields', () => {
    const request = {
      method: 'POST',
      url: 'https://hooks.example.com/sms/status',
      params: statusFields,
      authToken,
      nonce: newSignatureNonce(),
    } as const;
    expect(sdkAccepts(request, signatureV3(request))).toBe(true);
  });

  it('verifies a GET whose fields are in the query', () => {
    const url = `https://hooks.example.com/sms/status?${new URLSearchParams({ ...statusFields, Text: 'Grüße & 😀 a+b' })}`;
    const request = { method: 'GET', url, params: {}, authToken, nonce: newSignatureNonce() } as const;
    expect(sdkAccepts(request, signatureV3(request))).toBe(true);
  });

  it('verifies POST and GET to a URL that already has a query string', () => {
    const url = 'https://hooks.example.com/sms/status?tenant=acme&tenant=beta&Z=last';
    for (const method of ['POST', 'GET'] as const) {
      const request = {
        method,
        url,
        params: method === 'POST' ? statusFields : {},
        authToken,
        nonce: newSignatureNonce(),
      };
      expect(sdkAccepts(request, signatureV3(request))).toBe(true);
    }
  });

  it('is refused under another account’s token', () => {
    const request = {
      method: 'POST',
      url: 'https://hooks.example.com/sms/status',
      params: statusFields,
      authToken,
      nonce: newSignatureNonce(),
    } as const;
    expect(sdkAccepts(request, signatureV3(request), 'NDk0ZTJkYzJmMjQ0ZDZkNjMwNDAwNzA5Yjg4YzVi')).toBe(false);
  });

  it('is refused when a field was changed on the way', () => {
    const request = {
      method: 'POST',
      url: 'https://hooks.example.com/sms/status',
      params: statusFields,
      authToken,
      nonce: newSignatureNonce(),
    } as const;
    const tampered = { ...request, params: { ...statusFields, Status: 'undelivered' } };
    expect(sdkAccepts(tampered, signatureV3(request))).toBe(false);
  });

  it('agrees with the SDK on 200 generated requests', () => {
    let seed = 20_261_206;
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    const alphabet = ['a', 'B', 'z', 'Z', '0', ' ', '-', '_', '.', '+', '&', '=', '%', 'é', '😀', '/'];
    const word = (min: number) =>
      Array.from({ length: min + next(6) }, () => alphabet[next(alphabet.length)]).join('');
    for (let i = 0; i < 200; i++) {
      const fields = Object.fromEntries(Array.from({ length: next(5) }, () => [word(1), word(0)]));
      const query = new URLSearchParams(Array.from({ length: next(4) }, () => [word(1), word(0)])).toString();
      const method = next(2) === 0 ? 'GET' : 'POST';
      const url = `http${next(2) ? 's' : ''}://host.example:${8000 + next(100)}/cb/${next(10)}${query ? `?${query}` : ''}`;
      const request: SignatureV3Request = {
        method,
        url,
        params: fields,
        authToken,
        nonce: newSignatureNonce(),
      };
      expect(sdkAccepts(request, signatureV3(request)), JSON.stringify(request)).toBe(true);
    }
  });
});

describe('the nonce', () => {
  it('is 20 random digits, fresh each time', () => {
    const nonce = newSignatureNonce();
    expect(nonce).toMatch(/^\d{20}$/);
    expect(newSignatureNonce()).not.toBe(nonce);
  });
});

describe('URLs the signature cannot cover', () => {
  it('refuses a URL with raw non-ASCII characters or spaces: it must be given percent-encoded', () => {
    const request = { method: 'POST', params: {}, authToken: 't', nonce: '1' } as const;
    expect(() => signatureV3({ ...request, url: 'https://exämple.com/cb' })).toThrow(TypeError);
    expect(() => signatureV3({ ...request, url: 'https://example.com/a b' })).toThrow(TypeError);
    expect(() => signatureV3({ ...request, url: '/relative/path' })).toThrow(TypeError);
  });
});
