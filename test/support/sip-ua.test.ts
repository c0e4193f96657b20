import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  digestAuthorization,
  digestResponse,
  header,
  headerValues,
  parseChallenge,
  parseSipMessage,
} from './sip-ua.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe("the test SIP UA's digest", () => {
  it("computes RFC 2617's example (§3.5: Mufasa, qop auth)", () => {
    expect(
      digestResponse({
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('without qop, is MD5(HA1:nonce:HA2) (RFC 2069)', () => {
    const ha1 = md5('alice:sip.localhost:secret');
    const ha2 = md5('REGISTER:sip:sip.localhost');
    expect(
      digestResponse({
        username: 'alice',
        realm: 'sip.localhost',
        password: 'secret',
        method: 'REGISTER',
        uri: 'sip:sip.localhost',
        nonce: 'abc',
      }),
    ).toBe(md5(`${ha1}:abc:${ha2}`));
  });

  it('answers a challenge with the fields a server verifies, echoing its opaque', () => {
    const challenge = parseChallenge(
      'Digest realm="sip.localhost", nonce="Zx1+abc", qop="auth", opaque="op1", algorithm=MD5',
    );
    expect(challenge).toEqual({
      realm: 'sip.localhost',
      nonce: 'Zx1+abc',
      qop: 'auth',
      opaque: 'op1',
      algorithm: 'MD5',
    });
    const fields = parseChallenge(
      digestAuthorization(
        challenge,
        { username: 'alice', password: 'secret' },
        'INVITE',
        'sip:bob@sip.localhost',
      ),
    );
    expect(fields).toMatchObject({
      username: 'alice',
      realm: 'sip.localhost',
      nonce: 'Zx1+abc',
      uri: 'sip:bob@sip.localhost',
      qop: 'auth',
      nc: '00000001',
      opaque: 'op1',
    });
    expect(fields.response).toBe(
      digestResponse({
        username: 'alice',
        realm: 'sip.localhost',
        password: 'secret',
        method: 'INVITE',
        uri: 'sip:bob@sip.localhost',
        nonce: 'Zx1+abc',
        qop: 'auth',
        nc: '00000001',
        cnonce: fields.cnonce as string,
      }),
    );
  });
});

describe("the test SIP UA's parser", () => {
  it('reads compact and folded headers, and splits comma-separated values outside <…>', () => {
    const message = parseSipMessage(
      [
        'SIP/2.0 200 OK',
        'v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1',
        'Record-Route: <sip:127.0.0.1;lr;did=1.2>, <sip:10.0.0.1;lr>',
        'f: "Alice, A." <sip:alice@sip.localhost>;tag=1',
        'To: <sip:bob@sip.localhost>',
        ' ;tag=2',
        'i: abc@host',
        'CSeq: 2 INVITE',
        'l: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(message).toMatchObject({ status: 200, reason: 'OK', method: 'INVITE' });
    expect(header(message, 'via')).toBe('SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1');
    expect(header(message, 'to')).toBe('<sip:bob@sip.localhost> ;tag=2');
    expect(header(message, 'call-id')).toBe('abc@host');
    expect(headerValues(message, 'record-route')).toEqual([
      '<sip:127.0.0.1;lr;did=1.2>',
      '<sip:10.0.0.1;lr>',
    ]);
    expect(headerValues(message, 'from')).toEqual(['"Alice, A." <sip:alice@sip.localhost>;tag=1']);
  });
});
