import type { FastifyReply } from 'fastify';

/** Sends a PDF document as a download (invoices, receipts): its bytes as they are, never cached. */
export function sendPdf(reply: FastifyReply, { fileName, pdf }: { fileName: string; pdf: Buffer }) {
  return (
    reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      // Bytes are sent as they are, never serialized: the route's schema documents what they carry.
      .send(pdf as unknown as string)
  );
}
