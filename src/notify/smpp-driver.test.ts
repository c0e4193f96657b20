import smpp, { type Pdu } from 'smpp';
import { describe, expect, it } from 'vitest';
import { smppDriver } from './smpp-driver.js';

/** An SMSC on loopback, made with the same smpp package, that records what it is sent. */
async function startSmsc(password: string) {
  const received: { from: unknown; to: unknown; text: unknown }[] = [];
  const binds: unknown[] = [];
  const server = smpp.createServer((session) => {
    session.on('bind_transmitter', (pdu: Pdu) => {
      binds.push(pdu.system_id);
      session.send(pdu.response(pdu.password === password ? {} : { command_status: 0x0e }));
    });
    session.on('submit_sm', (pdu: Pdu) => {
      received.push({
        from: pdu.source_addr,
        to: pdu.destination_addr,
        text: String(pdu.short_message && (pdu.short_message as { message?: string }).message),
      });
      session.send(pdu.response({ message_id: String(received.length) }));
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port, received, binds };
}

describe('the SMPP driver', () => {
  it('binds once as a transmitter and submits each SMS to the SMSC', async () => {
    const smsc = await startSmsc('s3cret');
    try {
      const deliver = smppDriver(`smpp://switchboard:s3cret@127.0.0.1:${smsc.port}`, 'Acme');
      await deliver({ channel: 'sms', to: '+14155550123', subject: 'Code', text: 'Your code is 123456' });
      await deliver({ channel: 'sms', to: '+442079460958', subject: 'Code', text: 'Your code is 654321' });
      expect(smsc.binds).toEqual(['switchboard']);
      expect(smsc.received).toEqual([
        { from: 'Acme', to: '14155550123', text: 'Your code is 123456' },
        { from: 'Acme', to: '442079460958', text: 'Your code is 654321' },
      ]);
    } finally {
      smsc.server.close();
    }
  });

  it('fails the delivery when the SMSC refuses the credentials, so the worker retries later', async () => {
    const smsc = await startSmsc('right');
    try {
      const deliver = smppDriver(`smpp://switchboard:wrong@127.0.0.1:${smsc.port}`, 'Acme');
      await expect(deliver({ channel: 'sms', to: '+14155550123', subject: 'c', text: 't' })).rejects.toThrow(
        /refused the bind/,
      );
    } finally {
      smsc.server.close();
    }
  });
});
