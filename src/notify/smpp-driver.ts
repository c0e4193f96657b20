import type { Pdu, Session } from 'smpp';
import type { Deliver } from './drivers.js';

const ESME_ROK = 0;

/**
 * SMS through an SMSC over SMPP 3.4: one transmitter session, bound on first use and bound again
 * after it drops. SMPP_URL carries the credentials: smpp://system_id:password@host:2775.
 */
export function smppDriver(url: string, sourceAddress: string): Deliver {
  const parsed = new URL(url);
  let session: Promise<Session> | undefined;

  // The smpp library loads with the first message, not at start.
  const bind = async () => {
    const { default: smpp } = await import('smpp');
    return new Promise<Session>((resolve, reject) => {
      const connection = smpp.connect({
        url: `${parsed.protocol}//${parsed.host}`,
        auto_enquire_link_period: 30_000,
      });
      const forget = () => {
        session = undefined;
      };
      connection.on('close', forget);
      connection.on('error', (error: Error) => {
        forget();
        reject(error);
      });
      connection.bind_transmitter(
        { system_id: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) },
        (pdu) => {
          if (pdu.command_status === ESME_ROK) resolve(connection);
          else {
            forget();
            connection.close();
            reject(new Error(`SMSC refused the bind (status ${pdu.command_status})`));
          }
        },
      );
    });
  };

  return async (message) => {
    session ??= bind();
    const connection = await session;
    await new Promise<void>((resolve, reject) => {
      connection.submit_sm(
        {
          source_addr: sourceAddress,
          destination_addr: message.to.replace(/^\+/, ''),
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          short_message: message.text,
        },
        (pdu: Pdu) =>
          pdu.command_status === ESME_ROK
            ? resolve()
            : reject(new Error(`SMSC refused the message (status ${pdu.command_status})`)),
      );
    });
  };
}
