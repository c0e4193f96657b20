import { createHmac } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import { randomDigits } from './secrets.js';

/**
 * X-Plivo-Signature-V3: how Plivo signs the requests it makes to a customer's URLs (message status
 * callbacks, inbound messages), so that the official SDKs' `validateV3Signature` accepts ours.
 *
 * The signed text is the URL's base (scheme://host[:port]/path exactly as written: no query, no
 * fragment, no user info, no normalisation), then
 * - GET: `?` and the URL's query fields merged with `params`, sorted by key (JavaScript's default
 *   order, so capitals first) and each key's values sorted, joined as `k=v` with `&`, decoded and
 *   not re-encoded; nothing when there are no fields;
 * - POST with form fields: `?`, the URL's own query as for GET, a `.` when that query is not
 *   empty, then every form field as key followed by value, sorted the same way, with nothing
 *   between them; POST without fields: `?` and the URL's query only when it has one.
 * The signature is the base64 HMAC-SHA256 of `<signed text>.<nonce>` under the auth token.
 *
 * The URL must be the one requested, percent-encoded (printable ASCII): the node SDK hashes the
 * URL's own bytes re-encoded, so a raw non-ASCII URL would not verify there. The node SDK also
 * misreads an IPv6-literal host ("http://[::1]/cb"); those URLs are signed as written here.
 */

export type SignedMethod = 'GET' | 'POST';

export const SIGNATURE_V3_HEADER = 'X-Plivo-Signature-V3';
export const SIGNATURE_V3_NONCE_HEADER = 'X-Plivo-Signature-V3-Nonce';

export type SignatureV3Request = {
  method: SignedMethod;
  /** The URL as requested; for GET it carries the fields in its query. */
  url: string;
  /** POST: the form fields. GET: fields not yet in the URL's query (usually none). */
  params: Readonly<Record<string, string>>;
  /** The Auth Token of the account (or subaccount) the request is about. */
  authToken: string;
  nonce: string;
};

const ABSOLUTE_URL = /^([^:/?#]+):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/;
const WIRE_URL = /^[\x21-\x7e]+$/;

type Fields = Map<string, string[]>;

function addField(fields: Fields, key: string, value: string) {
  const values = fields.get(key);
  if (values) values.push(value);
  else fields.set(key, [value]);
}

/** The URL's query fields decoded as the SDK decodes them (Node's querystring: `+` is a space). */
function queryFields(query: string): Fields {
  const fields: Fields = new Map();
  for (const [key, value] of Object.entries(parseQuery(query))) {
    for (const each of Array.isArray(value) ? value : [value ?? '']) addField(fields, key, each);
  }
  return fields;
}

/** Each field's values in sorted order, fields sorted by key; JavaScript's default sort, as the SDK. */
function sorted(fields: Fields): [string, string][] {
  return [...fields.keys()]
    .sort()
    .flatMap((key) => [...(fields.get(key) ?? [])].sort().map((value): [string, string] => [key, value]));
}

const asQuery = (fields: Fields) =>
  sorted(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');

/** The text the signature covers, before the nonce. */
function signedText({ method, url, params }: SignatureV3Request): string {
  if (!WIRE_URL.test(url)) throw new TypeError('Sign the URL as requested: percent-encoded, without spaces');
  const parts = ABSOLUTE_URL.exec(url);
  if (!parts) throw new TypeError(`Not an absolute URL: ${url}`);
  const [, scheme, authority = '', path = '', query = ''] = parts;
  // The SDK drops user info, and a port separator with no digits after it.
  const host = authority.slice(authority.lastIndexOf('@') + 1).replace(/:$/, '');
  const base = `${scheme}://${host}${path}`;
  const fields = queryFields(query);
  const formFields = Object.entries(params);

  if (method === 'GET') {
    for (const [key, value] of formFields) addField(fields, key, value);
    const signedQuery = asQuery(fields);
    return signedQuery ? `${base}?${signedQuery}` : base;
  }
  const urlQuery = asQuery(fields);
  if (formFields.length === 0) return urlQuery ? `${base}?${urlQuery}` : base;
  const form: Fields = new Map(formFields.map(([key, value]) => [key, [value]]));
  const concatenated = sorted(form)
    .map(([key, value]) => `${key}${value}`)
    .join('');
  return `${base}?${urlQuery}${urlQuery ? '.' : ''}${concatenated}`;
}

/** The X-Plivo-Signature-V3 value of a request Switchboard makes on an account's behalf. */
export function signatureV3(request: SignatureV3Request): string {
  return createHmac('sha256', request.authToken)
    .update(`${signedText(request)}.${request.nonce}`)
    .digest('base64');
}

/** A fresh X-Plivo-Signature-V3-Nonce: 20 random digits, the shape Plivo's nonces have. */
export const newSignatureNonce = () => randomDigits(20);
