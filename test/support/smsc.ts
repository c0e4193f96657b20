import smpp, { type Pdu, type Session } from 'smpp';

/** What the loopback SMSC was sent in one submit_sm. */
export type SubmittedPart = {
  messageId: string;
  from: string;
  to: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** The concatenation element of the user data header (IEI 0x00), when there is one. */
  concatenation: { reference: number; total: number; sequence: number } | null;
  text: string;
};

export type ReceiptStat = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD';

/** SMPP 3.4 §5.2.28 message_state for each stat. */
const MESSAGE_STATE: Record<ReceiptStat, number> = { DELIVRD: 2, EXPIRED: 3, UNDELIV: 5, REJECTD: 8 };
const ESME_RINVPASWD = 0x0e;

/**
 * An SMSC on loopback made with the smpp package: it binds transceivers with the given
 * credentials, answers each submit_sm with its own id ("smsc-1", "smsc-2", …) and records it, and
 * sends receipts and inbound messages to the session bound last.
 */
export async function startLoopbackSmsc(credentials: { systemId: string; password: string }) {
  const submitted: SubmittedPart[] = [];
  const binds: { systemId: string; accepted: boolean }[] = [];
  const bindWaiters: (() => void)[] = [];
  let bound: Session | undefined;

  const server = smpp.createServer((session) => {
    session.on('bind_transceiver', (pdu: Pdu) => {
      const accepted = pdu.system_id === credentials.systemId && pdu.password === credentials.password;
      binds.push({ systemId: String(pdu.system_id), accepted });
      session.send(pdu.response(accepted ? { system_id: 'loopback' } : { command_status: ESME_RINVPASWD }));
      if (!accepted) return;
      bound = session;
      for (const wake of bindWaiters.splice(0)) wake();
    });
    session.on('submit_sm', (pdu: Pdu) => {
      const messageId = `smsc-${submitted.length + 1}`;
      const shortMessage = pdu.short_message as { udh?: Buffer[]; message: string };
      const element = shortMessage.udh?.find((header) => header[0] === 0x00);
      submitted.push({
        messageId,
        from: String(pdu.source_addr),
        to: String(pdu.destination_addr),
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        registeredDelivery: Number(pdu.registered_delivery),
        concatenation: element
          ? { reference: element.readUInt8(2), total: element.readUInt8(3), sequence: element.readUInt8(4) }
          : null,
        text: shortMessage.message,
      });
      session.send(pdu.response({ message_id: messageId }));
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;

  /** Sends a deliver_sm to the bound session and gives the command_status of its deliver_sm_resp. */
  const deliver = (fields: Record<string, unknown>) =>
    new Promise<number>((resolve, reject) => {
      if (!bound) return reject(new Error('no session is bound to the loopback SMSC'));
      bound.deliver_sm(fields, (pdu) => resolve(pdu.command_status));
    });

  return {
    port,
    submitted,
    binds,
    /** The SMPP URL of this SMSC, with the right password unless another is given. */
    url: (password = credentials.password) =>
      `smpp://${encodeURIComponent(credentials.systemId)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    /** Resolves at the next accepted bind. */
    nextBind: () => new Promise<void>((resolve) => bindWaiters.push(resolve)),
    /** A delivery receipt for a message id, as text and (unless `textOnly`) as TLVs. */
    sendReceipt: (messageId: string, stat: ReceiptStat, options: { err?: string; textOnly?: boolean } = {}) =>
      deliver({
        source_addr: '14155550101',
        destination_addr: 'Switchboard',
        esm_class: 0x04,
        data_coding: 0,
        short_message: `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2612061200 done date:2612061201 stat:${stat} err:${options.err ?? '000'} text:`,
        ...(options.textOnly ? {} : { receipted_message_id: messageId, message_state: MESSAGE_STATE[stat] }),
      }),
    /** A message from a handset to one of our numbers; UCS-2 (data_coding 8) unless `gsm`. */
    sendInbound: (message: { from: string; to: string; text: string; gsm?: boolean }) =>
      deliver({
        source_addr: message.from,
        destination_addr: message.to,
        esm_class: 0,
        data_coding: message.gsm ? 0 : 8,
        short_message: message.text,
      }),
    /** Cuts every connection, as an SMSC restart or a network failure would. */
    dropConnections: () => {
      bound = undefined;
      for (const session of [...server.sessions]) session.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of [...server.sessions]) session.destroy();
        server.close(() => resolve());
      }),
  };
}
