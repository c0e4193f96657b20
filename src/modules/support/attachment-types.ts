/**
 * What a support attachment is, decided by its content's first bytes (its "magic bytes"), never by
 * its name: a file is accepted only when its content is one of the kinds below and its extension is
 * one that kind goes by. No I/O: the rule and its table, tested beside it.
 */
export interface AttachmentKind {
  /** What people read: "a PDF document". */
  label: string;
  contentType: string;
  extensions: readonly string[];
}

const kinds = {
  pdf: { label: 'a PDF document', contentType: 'application/pdf', extensions: ['pdf'] },
  png: { label: 'a PNG image', contentType: 'image/png', extensions: ['png'] },
  jpeg: { label: 'a JPEG image', contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  gif: { label: 'a GIF image', contentType: 'image/gif', extensions: ['gif'] },
  webp: { label: 'a WebP image', contentType: 'image/webp', extensions: ['webp'] },
  text: { label: 'plain text', contentType: 'text/plain; charset=utf-8', extensions: ['txt', 'log', 'csv'] },
} as const satisfies Record<string, AttachmentKind>;

export type AttachmentKindName = keyof typeof kinds;

/** Every extension an attachment may have, for the console's file picker and the refusal's words. */
export const allowedExtensions: readonly string[] = Object.values(kinds).flatMap((kind) => kind.extensions);

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Text: valid UTF-8 with no control characters other than tab, line feed, carriage return and form feed. */
function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/** The kind of a file's content by its magic bytes, or null when it is none Switchboard accepts. */
export function sniffKind(bytes: Uint8Array): AttachmentKindName | null {
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (bytes.length > 0 && isPlainText(bytes)) return 'text';
  return null;
}

/** A file name's extension, lower case, without the dot ("" when it has none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

export type AttachmentVerdict =
  | { accepted: true; kind: AttachmentKind }
  | {
      accepted: false;
      reason: 'extension_not_allowed' | 'content_not_allowed' | 'extension_mismatch';
      detail: string;
    };

/** Accepts a file only when its content is an allowed kind and its name's extension is that kind's. */
export function judgeAttachment(fileName: string, bytes: Uint8Array): AttachmentVerdict {
  const extension = extensionOf(fileName);
  if (!allowedExtensions.includes(extension))
    return {
      accepted: false,
      reason: 'extension_not_allowed',
      detail: `${fileName}: only ${allowedExtensions.map((e) => `.${e}`).join(', ')} files may be attached.`,
    };
  const sniffed = sniffKind(bytes);
  if (!sniffed)
    return {
      accepted: false,
      reason: 'content_not_allowed',
      detail: `${fileName} is named .${extension}, but its content is not a file of a kind that may be attached (${allowedExtensions.map((e) => `.${e}`).join(', ')}).`,
    };
  const kind: AttachmentKind = kinds[sniffed];
  if (!kind.extensions.includes(extension))
    return {
      accepted: false,
      reason: 'extension_mismatch',
      detail: `${fileName} is named .${extension}, but its content is ${kind.label}: rename it .${kind.extensions[0]} or attach the right file.`,
    };
  return { accepted: true, kind };
}
