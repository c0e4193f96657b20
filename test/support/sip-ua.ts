import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';

/**
 * A small SIP user agent over UDP for tests (RFC 3261, no media): REGISTER with digest, calls out
 * (INVITE with proxy digest, ACK, BYE, CANCEL) and in (ring, answer with a minimal SDP, reject),
 * and every request it receives answered and recorded, so a test can await "answered", "received
 * BYE" and final statuses. Every request goes to one proxy (Kamailio), as a phone with an outbound
 * proxy does.
 *
 *   const alice = await SipUa.open({ proxy: kamailio.sip, domain: 'sip.localhost', username, password });
 *   expect(await alice.register()).toBe(200);
 *   const call = alice.invite('bob456'); // bob's UA rings and answers by itself (incomingPolicy 'answer')
 *   expect(await call.status()).toBe(200);
 *   const answered = await bob.nextIncoming();
 *   expect(await call.hangup()).toBe(200);
 *   await answered.byeReceived;
 */

/** A parsed SIP message: a request (`method`, `uri`) or a response (`status`, `reason`). */
export interface SipMessage {
  method: string;
  uri: string;
  status: number;
  reason: string;
  headers: [name: string, value: string][];
  body: string;
}

const COMPACT: Record<string, string> = {
  i: 'call-id',
  f: 'from',
  t: 'to',
  v: 'via',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
};

export function parseSipMessage(text: string): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 4);
  const [startLine = '', ...lines] = head.split('\r\n');
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1] as [string, string];
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[name] ?? name, line.slice(colon + 1).trim()]);
  }
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
  if (response) {
    const cseq = headers.find(([name]) => name === 'cseq')?.[1] ?? '';
    return {
      method: cseq.split(/\s+/)[1] ?? '',
      uri: '',
      status: Number(response[1]),
      reason: response[2] ?? '',
      headers,
      body,
    };
  }
  const [method = '', uri = ''] = startLine.split(' ');
  return { method, uri, status: 0, reason: '', headers, body };
}

/** The first value of a header (by its full lower-case name). */
export function header(message: SipMessage, name: string): string | undefined {
  return message.headers.find(([key]) => key === name)?.[1];
}

/** Every value of a header, comma-separated values split (outside <…> and quotes). */
export function headerValues(message: SipMessage, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of message.headers) {
    if (key !== name) continue;
    let depth = 0;
    let quoted = false;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      const char = value[i];
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === '<') depth++;
      else if (!quoted && char === '>') depth--;
      else if (!quoted && depth === 0 && char === ',') {
        values.push(value.slice(start, i).trim());
        start = i + 1;
      }
    }
    values.push(value.slice(start).trim());
  }
  return values;
}

/** A header parameter (`;tag=…`) of a name-addr value. */
function param(value: string, name: string): string | undefined {
  const afterUri = value.includes('>') ? value.slice(value.indexOf('>')) : value;
  return new RegExp(`;\\s*${name}=([^;,\\s]+)`, 'i').exec(afterUri)?.[1];
}

/** The URI of a name-addr (`"Alice" <sip:a@b>;tag=1` → `sip:a@b`). */
function uriOf(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  return angle ? (angle[1] as string) : (value.split(';')[0] as string).trim();
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The digest `response` (RFC 2617 §3.2.2): with qop auth when the challenge offered it. */
export function digestResponse(input: {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}): string {
  const ha1 = md5(`${input.username}:${input.realm}:${input.password}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  return input.qop
    ? md5(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
    : md5(`${ha1}:${input.nonce}:${ha2}`);
}

/** The parameters of a `Digest …` challenge (WWW-Authenticate or Proxy-Authenticate). */
export function parseChallenge(value: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of value.replace(/^Digest\s+/i, '').matchAll(/([a-zA-Z-]+)\s*=\s*("([^"]*)"|[^,\s]+)/g)) {
    fields[(match[1] as string).toLowerCase()] = match[3] ?? (match[2] as string);
  }
  return fields;
}

/** The Authorization (or Proxy-Authorization) value answering a challenge. */
export function digestAuthorization(
  challenge: Record<string, string>,
  credentials: { username: string; password: string },
  method: string,
  uri: string,
): string {
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const qop = (challenge.qop ?? '').split(',').some((q) => q.trim() === 'auth') ? 'auth' : undefined;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = digestResponse({ ...credentials, realm, method, uri, nonce, qop, nc, cnonce });
  const fields = [
    `username="${credentials.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    'algorithm=MD5',
    ...(challenge.opaque !== undefined ? [`opaque="${challenge.opaque}"`] : []),
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
  ];
  return `Digest ${fields.join(', ')}`;
}

const token = () => randomBytes(6).toString('hex');
const T1 = 500;

/** A minimal SDP offer/answer: one audio stream nobody sends. */
function sdp(host: string) {
  return [
    'v=0',
    `o=- 0 0 IN IP4 ${host}`,
    's=-',
    `c=IN IP4 ${host}`,
    't=0 0',
    'm=audio 9 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    '',
  ].join('\r\n');
}

/** A promise with its resolve outside, for "when X happens". */
function signal<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

type Request = {
  method: string;
  uri: string;
  headers: [string, string][];
  body?: string;
};

/** A client transaction: the request as sent, its responses, and its final response. */
class ClientTransaction {
  readonly responses: SipMessage[] = [];
  readonly final = signal<SipMessage>();
  finalResponse: SipMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onResponse: ((response: SipMessage) => void) | undefined;

  constructor(
    readonly branch: string,
    readonly text: string,
    private readonly send: (text: string) => void,
    readonly invite: boolean,
  ) {}

  start(onResponse?: (response: SipMessage) => void) {
    this.onResponse = onResponse;
    this.send(this.text);
    let interval = T1;
    let elapsed = 0;
    const retransmit = () => {
      elapsed += interval;
      if (elapsed >= 64 * T1) {
        this.received(
          { ...parseSipMessage(this.text), status: 408, reason: 'Request Timeout (no answer)' },
          true,
        );
        return;
      }
      this.send(this.text);
      interval = Math.min(interval * 2, 4000);
      this.timer = setTimeout(retransmit, interval);
      this.timer.unref();
    };
    this.timer = setTimeout(retransmit, interval);
    this.timer.unref();
  }

  received(response: SipMessage, local = false) {
    // INVITE: a provisional response stops the retransmissions; the final one ends the transaction.
    if (this.invite || response.status >= 200) clearTimeout(this.timer);
    if (this.finalResponse) {
      if (!local) this.onResponse?.(response);
      return;
    }
    this.responses.push(response);
    if (response.status >= 200) {
      this.finalResponse = response;
      this.final.resolve(response);
    }
    this.onResponse?.(response);
  }

  stop() {
    clearTimeout(this.timer);
  }
}

/** What a dialog knows to send requests within it (RFC 3261 §12). */
class Dialog {
  localCseq = 1;
  state: 'early' | 'confirmed' | 'ended' = 'early';
  /** The BYE this side received, when the other side (or the proxy) hung up. */
  readonly byeReceived = signal<SipMessage>();

  constructor(
    readonly ua: SipUa,
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    readonly localUri: string,
    readonly remoteUri: string,
    readonly remoteTarget: string,
    readonly routeSet: string[],
  ) {}

  request(method: string): Request {
    return {
      method,
      uri: this.remoteTarget,
      headers: [
        ...this.routeSet.map((route): [string, string] => ['Route', route]),
        ['From', `<${this.localUri}>;tag=${this.localTag}`],
        ['To', `<${this.remoteUri}>${this.remoteTag ? `;tag=${this.remoteTag}` : ''}`],
        ['Call-ID', this.callId],
        ['CSeq', `${++this.localCseq} ${method}`],
      ],
    };
  }

  /** Hangs up: sends BYE and resolves to the status it was answered with. */
  async bye(): Promise<number> {
    this.state = 'ended';
    const transaction = this.ua.send(this.request('BYE'));
    return (await transaction.final.promise).status;
  }
}

/** A call this UA placed. */
export class OutgoingCall {
  /** Every response to the INVITE, provisional ones included. */
  readonly responses: SipMessage[] = [];
  /** The final response to the INVITE (after the proxy's challenge was answered). */
  readonly final = signal<SipMessage>();
  /** The callee rang (180 or 183). */
  readonly ringing = signal<void>();
  dialog: Dialog | undefined;
  private transaction: ClientTransaction | undefined;
  private readonly byeSignal = signal<SipMessage>();

  constructor(
    private readonly ua: SipUa,
    readonly callId: string,
    readonly localTag: string,
    readonly target: string,
  ) {}

  /** The status of the final response. */
  async status(): Promise<number> {
    return (await this.final.promise).status;
  }

  /** Resolves with the BYE this side received (the callee, the proxy's time limit, or JSON-RPC hung up). */
  get byeReceived(): Promise<SipMessage> {
    return this.byeSignal.promise;
  }

  attach(transaction: ClientTransaction) {
    this.transaction = transaction;
  }

  onBye(bye: SipMessage) {
    this.byeSignal.resolve(bye);
  }

  /** Hangs up an answered call (BYE); resolves to the BYE's status. */
  async hangup(): Promise<number> {
    if (!this.dialog) throw new Error('the call was not answered');
    return this.dialog.bye();
  }

  /** Cancels a call that has not been answered yet; resolves to the CANCEL's status. */
  async cancel(): Promise<number> {
    const invite = this.transaction;
    if (!invite) throw new Error('no INVITE to cancel');
    const sent = parseSipMessage(invite.text);
    const cancel = this.ua.send(
      {
        method: 'CANCEL',
        uri: sent.uri,
        headers: [
          ['From', header(sent, 'from') as string],
          ['To', header(sent, 'to') as string],
          ['Call-ID', this.callId],
          ['CSeq', `${(header(sent, 'cseq') as string).split(' ')[0]} CANCEL`],
        ],
      },
      invite.branch,
    );
    return (await cancel.final.promise).status;
  }
}

/** A call this UA received. */
export class IncomingCall {
  readonly acked = signal<SipMessage>();
  readonly cancelled = signal<void>();
  readonly dialog: Dialog;
  private lastResponse: string | undefined;
  private retransmit: NodeJS.Timeout | undefined;
  private answered = false;
  /** Handed to a test by nextIncoming(). */
  taken = false;

  constructor(
    private readonly ua: SipUa,
    readonly invite: SipMessage,
    private readonly source: { address: string; port: number },
  ) {
    const from = header(invite, 'from') as string;
    const to = header(invite, 'to') as string;
    this.dialog = new Dialog(
      ua,
      header(invite, 'call-id') as string,
      token(),
      param(from, 'tag') ?? '',
      uriOf(to),
      uriOf(from),
      uriOf(header(invite, 'contact') ?? from),
      headerValues(invite, 'record-route'),
    );
  }

  /** The calling user as the From header names it. */
  get from(): string {
    return /^sips?:([^@;]+)@/.exec(this.dialog.remoteUri)?.[1] ?? '';
  }

  /** The BYE this side received. */
  get byeReceived(): Promise<SipMessage> {
    return this.dialog.byeReceived.promise;
  }

  private respond(status: number, reason: string, body?: string) {
    const text = this.ua.response(this.invite, status, reason, this.dialog.localTag, body, true);
    this.lastResponse = text;
    this.ua.transmit(text, this.source);
  }

  /** Sends 180 Ringing. */
  ring() {
    this.respond(180, 'Ringing');
  }

  /** Answers 200 OK with an SDP, retransmitted until the ACK comes (RFC 3261 §13.3.1.4). */
  answer() {
    this.answered = true;
    this.respond(200, 'OK', sdp(this.ua.host));
    let interval = T1;
    const again = () => {
      if (this.dialog.state !== 'early' || !this.lastResponse) return;
      this.ua.transmit(this.lastResponse, this.source);
      interval = Math.min(interval * 2, 4000);
      this.retransmit = setTimeout(again, interval);
      this.retransmit.unref();
    };
    this.retransmit = setTimeout(again, interval);
    this.retransmit.unref();
  }

  /** Refuses the call with a final response (486 Busy Here, 603 Decline …). */
  reject(status = 486, reason = 'Busy Here') {
    this.dialog.state = 'ended';
    this.respond(status, reason);
  }

  /** Hangs up an answered call (BYE); resolves to the BYE's status. */
  hangup(): Promise<number> {
    return this.dialog.bye();
  }

  onRetransmission() {
    if (this.lastResponse) this.ua.transmit(this.lastResponse, this.source);
  }

  onAck(ack: SipMessage) {
    clearTimeout(this.retransmit);
    if (this.answered && this.dialog.state === 'early') this.dialog.state = 'confirmed';
    this.acked.resolve(ack);
  }

  onCancel() {
    if (this.answered || this.dialog.state !== 'early') return false;
    this.dialog.state = 'ended';
    this.respond(487, 'Request Terminated');
    this.cancelled.resolve();
    return true;
  }
}

/** How the UA treats calls that come in: ring and answer, ring only (the test answers), or refuse. */
export type IncomingPolicy = 'answer' | 'ring' | { reject: number; reason: string };

export class SipUa {
  /** Every request received (BYEs included), in order. */
  readonly received: SipMessage[] = [];
  /** Every BYE received. */
  readonly byes: SipMessage[] = [];
  readonly incomingCalls: IncomingCall[] = [];
  incomingPolicy: IncomingPolicy = 'answer';
  private readonly transactions = new Map<string, ClientTransaction>();
  private readonly outgoing = new Map<string, OutgoingCall>();
  private readonly incomingByBranch = new Map<string, IncomingCall>();
  private readonly dialogs: Dialog[] = [];
  private readonly incomingWaiters: ((call: IncomingCall) => void)[] = [];
  private registerCallId = `${token()}@ua`;
  private registerCseq = 0;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly proxy: { host: string; port: number },
    readonly domain: string,
    readonly username: string,
    readonly password: string,
    readonly host: string,
    readonly port: number,
  ) {
    socket.on('message', (data, rinfo) => this.onMessage(data.toString('utf8'), rinfo));
  }

  /** A UA for `username` on a UDP port of its own, sending every request to `proxy`. */
  static async open(options: {
    proxy: { host: string; port: number };
    domain: string;
    username: string;
    password: string;
    host?: string;
  }): Promise<SipUa> {
    const host = options.host ?? '127.0.0.1';
    const socket = dgram.createSocket('udp4');
    socket.bind(0, host);
    await once(socket, 'listening');
    return new SipUa(
      socket,
      options.proxy,
      options.domain,
      options.username,
      options.password,
      host,
      socket.address().port,
    );
  }

  get contact(): string {
    return `<sip:${this.username}@${this.host}:${this.port}>`;
  }

  private get aor(): string {
    return `sip:${this.username}@${this.domain}`;
  }

  close() {
    for (const transaction of this.transactions.values()) transaction.stop();
    this.socket.close();
  }

  transmit(
    text: string,
    to: { address: string; port: number } = { address: this.proxy.host, port: this.proxy.port },
  ) {
    this.socket.send(text, to.port, to.address);
  }

  /** Sends a request through the proxy as a new client transaction (or with the branch of the INVITE it cancels). */
  send(request: Request, branch = `z9hG4bK${token()}`, onResponse?: (response: SipMessage) => void) {
    const body = request.body ?? '';
    const lines = [
      `${request.method} ${request.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.host}:${this.port};branch=${branch};rport`,
      'Max-Forwards: 70',
      ...request.headers.map(([name, value]) => `${name}: ${value}`),
      'User-Agent: switchboard-test-ua',
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    const transaction = new ClientTransaction(
      branch,
      lines.join('\r\n'),
      (text) => this.transmit(text),
      request.method === 'INVITE',
    );
    if (request.method !== 'ACK') this.transactions.set(`${branch} ${request.method}`, transaction);
    transaction.start(onResponse);
    if (request.method === 'ACK') transaction.stop();
    return transaction;
  }

  /** A response to `request`, with our To tag (and Contact and Record-Route for a dialog). */
  response(request: SipMessage, status: number, reason: string, toTag?: string, body = '', dialog = false) {
    const to = header(request, 'to') as string;
    const lines = [
      `SIP/2.0 ${status} ${reason}`,
      ...headerValues(request, 'via').map((via) => `Via: ${via}`),
      ...(dialog && status < 300
        ? headerValues(request, 'record-route').map((route) => `Record-Route: ${route}`)
        : []),
      `From: ${header(request, 'from')}`,
      `To: ${toTag && !param(to, 'tag') ? `${to};tag=${toTag}` : to}`,
      `Call-ID: ${header(request, 'call-id')}`,
      `CSeq: ${header(request, 'cseq')}`,
      ...(dialog && status < 300 ? [`Contact: ${this.contact}`] : []),
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    return lines.join('\r\n');
  }

  /** REGISTER (expires 0 unregisters), answering one digest challenge; resolves to the final status. */
  async register(options: { expires?: number; password?: string } = {}): Promise<number> {
    const expires = options.expires ?? 3600;
    const password = options.password ?? this.password;
    const uri = `sip:${this.domain}`;
    const request = (authorization?: string): Request => ({
      method: 'REGISTER',
      uri,
      headers: [
        ['From', `<${this.aor}>;tag=${token()}`],
        ['To', `<${this.aor}>`],
        ['Call-ID', this.registerCallId],
        ['CSeq', `${++this.registerCseq} REGISTER`],
        ['Contact', this.contact],
        ['Expires', String(expires)],
        ...(authorization ? [['Authorization', authorization] as [string, string]] : []),
      ],
    });
    let response = await this.send(request()).final.promise;
    for (let attempt = 0; response.status === 401 && attempt < 2; attempt++) {
      const challenge = parseChallenge(header(response, 'www-authenticate') ?? '');
      // A second 401 means the credentials were refused, unless only the nonce was stale.
      if (attempt > 0 && challenge.stale?.toLowerCase() !== 'true') break;
      const authorization = digestAuthorization(
        challenge,
        { username: this.username, password },
        'REGISTER',
        uri,
      );
      response = await this.send(request(authorization)).final.promise;
    }
    return response.status;
  }

  /** Calls `toUser` at the SIP domain (INVITE, answering the proxy's 407 once); the call's promises tell what happens. */
  invite(toUser: string, options: { callId?: string } = {}): OutgoingCall {
    const callId = options.callId ?? `${token()}@${this.host}`;
    const call = new OutgoingCall(this, callId, token(), `sip:${toUser}@${this.domain}`);
    this.outgoing.set(callId, call);
    let cseq = 1;
    const request = (authorization?: string): Request => ({
      method: 'INVITE',
      uri: call.target,
      headers: [
        ['From', `<${this.aor}>;tag=${call.localTag}`],
        ['To', `<${call.target}>`],
        ['Call-ID', callId],
        ['CSeq', `${cseq} INVITE`],
        ['Contact', this.contact],
        ...(authorization ? [['Proxy-Authorization', authorization] as [string, string]] : []),
      ],
      body: sdp(this.host),
    });
    let challenged = false;
    let current: ClientTransaction;
    const onResponse = (response: SipMessage) => {
      const transaction = current;
      call.responses.push(response);
      if (response.status >= 300) this.ackNegative(response, transaction);
      if (response.status === 407 && !challenged) {
        challenged = true;
        const challenge = parseChallenge(header(response, 'proxy-authenticate') ?? '');
        cseq++;
        const authorization = digestAuthorization(
          challenge,
          { username: this.username, password: this.password },
          'INVITE',
          call.target,
        );
        current = this.send(request(authorization), undefined, onResponse);
        call.attach(current);
        return;
      }
      if (response.status === 180 || response.status === 183) call.ringing.resolve();
      if (response.status >= 200 && response.status < 300) {
        if (!call.dialog) {
          const to = header(response, 'to') as string;
          call.dialog = new Dialog(
            this,
            callId,
            call.localTag,
            param(to, 'tag') ?? '',
            this.aor,
            call.target,
            uriOf(header(response, 'contact') ?? call.target),
            headerValues(response, 'record-route').reverse(),
          );
          call.dialog.state = 'confirmed';
          this.dialogs.push(call.dialog);
          call.dialog.byeReceived.promise.then((bye) => call.onBye(bye));
        }
        // ACK every 200 (a retransmitted 200 means our ACK was lost): a new transaction with the INVITE's CSeq.
        call.dialog.localCseq = cseq - 1;
        this.send(call.dialog.request('ACK'));
      }
      if (response.status >= 200) call.final.resolve(response);
    };
    current = this.send(request(), undefined, onResponse);
    call.attach(current);
    return call;
  }

  /** ACK of a final non-2xx response: part of the INVITE's transaction (same branch, hop by hop). */
  private ackNegative(response: SipMessage, invite: ClientTransaction) {
    const sent = parseSipMessage(invite.text);
    const ack = [
      `ACK ${sent.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.host}:${this.port};branch=${invite.branch};rport`,
      'Max-Forwards: 70',
      `From: ${header(sent, 'from')}`,
      `To: ${header(response, 'to')}`,
      `Call-ID: ${header(sent, 'call-id')}`,
      `CSeq: ${(header(sent, 'cseq') as string).split(' ')[0]} ACK`,
      'Content-Length: 0',
      '',
      '',
    ];
    this.transmit(ack.join('\r\n'));
  }

  /** The next call that comes in (one that already came and was not taken yet, first). */
  nextIncoming(): Promise<IncomingCall> {
    const waiting = this.incomingCalls.find((call) => !call.taken);
    if (waiting) {
      waiting.taken = true;
      return Promise.resolve(waiting);
    }
    return new Promise((resolve) =>
      this.incomingWaiters.push((call) => {
        call.taken = true;
        resolve(call);
      }),
    );
  }

  private onMessage(text: string, source: { address: string; port: number }) {
    const message = parseSipMessage(text);
    if (message.status > 0) {
      const branch = param(`>${header(message, 'via') ?? ''}`, 'branch') ?? '';
      this.transactions.get(`${branch} ${message.method}`)?.received(message);
      return;
    }
    this.onRequest(message, source);
  }

  private onRequest(request: SipMessage, source: { address: string; port: number }) {
    this.received.push(request);
    const callId = header(request, 'call-id') ?? '';
    const branch = param(`>${header(request, 'via') ?? ''}`, 'branch') ?? '';
    const toTag = param(header(request, 'to') ?? '', 'tag');
    const reply = (status: number, reason: string) =>
      this.transmit(this.response(request, status, reason, toTag ? undefined : token()), source);

    if (request.method === 'INVITE' && !toTag) {
      const known = this.incomingByBranch.get(branch);
      if (known) {
        known.onRetransmission();
        return;
      }
      const call = new IncomingCall(this, request, source);
      this.incomingByBranch.set(branch, call);
      this.incomingCalls.push(call);
      this.dialogs.push(call.dialog);
      const policy = this.incomingPolicy;
      if (policy === 'answer') {
        call.ring();
        call.answer();
      } else if (policy === 'ring') {
        call.ring();
      } else {
        call.reject(policy.reject, policy.reason);
      }
      const waiter = this.incomingWaiters.shift();
      if (waiter) waiter(call);
      return;
    }
    if (request.method === 'ACK') {
      const call =
        this.incomingByBranch.get(branch) ?? this.incomingCalls.find((c) => c.dialog.callId === callId);
      call?.onAck(request);
      return;
    }
    if (request.method === 'CANCEL') {
      const call = this.incomingByBranch.get(branch);
      reply(call ? 200 : 481, call ? 'OK' : 'Call/Transaction Does Not Exist');
      call?.onCancel();
      return;
    }
    const dialog = this.dialogs.find((d) => d.callId === callId && d.localTag === toTag);
    if (request.method === 'BYE') {
      this.byes.push(request);
      if (!dialog) {
        reply(481, 'Call/Transaction Does Not Exist');
        return;
      }
      reply(200, 'OK');
      dialog.state = 'ended';
      dialog.byeReceived.resolve(request);
      return;
    }
    if (request.method === 'OPTIONS' || (request.method === 'INVITE' && dialog)) {
      reply(200, 'OK');
      return;
    }
    reply(405, 'Method Not Allowed');
  }
}
