declare module 'smpp' {
  import type { EventEmitter } from 'node:events';

  export interface Pdu {
    command: string;
    command_status: number;
    [field: string]: unknown;
    response(fields?: Record<string, unknown>): Pdu;
  }

  export interface Session extends EventEmitter {
    bind_transmitter(fields: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
    submit_sm(fields: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
    send(pdu: Pdu): boolean;
    close(callback?: () => void): void;
    bind_transceiver(fields: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
    deliver_sm(fields: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
    destroy(callback?: () => void): void;
    unbind(callback?: (pdu: Pdu) => void): void;
  }

  export interface Server extends EventEmitter {
    listen(port: number, host: string, callback: () => void): void;
    address(): { port: number };
    close(callback?: () => void): void;
    sessions: Session[];
  }

  export function connect(
    options: { url: string; auto_enquire_link_period?: number },
    listener?: () => void,
  ): Session;
  export function createServer(listener: (session: Session) => void): Server;
  const smpp: { connect: typeof connect; createServer: typeof createServer };
  export default smpp;
}
