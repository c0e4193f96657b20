import { describe, expect, it } from 'vitest';
import { extensionOf, judgeAttachment, sniffKind } from './attachment-types.js';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj');
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const webp = new TextEncoder().encode('RIFF\u0010\u0000\u0000\u0000WEBPVP8 ');
const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
const text = new TextEncoder().encode('2026-12-06 10:00 call failed: 503\r\n\tretrying\n');

describe('support attachments are typed by their content, not their name', () => {
  it('recognises each accepted kind by its magic bytes', () => {
    expect(sniffKind(png)).toBe('png');
    expect(sniffKind(pdf)).toBe('pdf');
    expect(sniffKind(jpeg)).toBe('jpeg');
    expect(sniffKind(new TextEncoder().encode('GIF89a\u0001\u0000'))).toBe('gif');
    expect(sniffKind(webp)).toBe('webp');
    expect(sniffKind(text)).toBe('text');
  });

  it('recognises no kind in an executable, other binary content or an empty file', () => {
    expect(sniffKind(exe)).toBeNull();
    expect(sniffKind(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBeNull();
    expect(sniffKind(Uint8Array.from([0xc3, 0x28]))).toBeNull();
    expect(sniffKind(new Uint8Array(0))).toBeNull();
  });

  it('accepts a file whose extension is its content’s, in any letter case', () => {
    expect(judgeAttachment('screenshot.PNG', png)).toMatchObject({
      accepted: true,
      kind: { contentType: 'image/png' },
    });
    expect(judgeAttachment('photo.jpeg', jpeg)).toMatchObject({ accepted: true });
    expect(judgeAttachment('calls.csv', text)).toMatchObject({ accepted: true });
  });

  it('refuses a file whose extension lies about its content, naming what it really is', () => {
    const verdict = judgeAttachment('invoice.png', pdf);
    expect(verdict).toMatchObject({ accepted: false, reason: 'extension_mismatch' });
    expect(verdict.accepted === false && verdict.detail).toContain('a PDF document');
    expect(judgeAttachment('notes.txt', exe)).toMatchObject({
      accepted: false,
      reason: 'content_not_allowed',
    });
    expect(judgeAttachment('report.pdf', png)).toMatchObject({
      accepted: false,
      reason: 'extension_mismatch',
    });
  });

  it('refuses extensions that are not on the list whatever the content', () => {
    expect(judgeAttachment('setup.exe', exe)).toMatchObject({
      accepted: false,
      reason: 'extension_not_allowed',
    });
    expect(judgeAttachment('README', text)).toMatchObject({
      accepted: false,
      reason: 'extension_not_allowed',
    });
    expect(judgeAttachment('page.html', text)).toMatchObject({
      accepted: false,
      reason: 'extension_not_allowed',
    });
  });

  it('reads the extension after the last dot, and none for a dot file', () => {
    expect(extensionOf('a.tar.GZ')).toBe('gz');
    expect(extensionOf('.env')).toBe('');
  });
});
