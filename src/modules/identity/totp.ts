import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label: string, issuer: string) {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: PERIOD_SECONDS,
    algorithm: 'SHA1',
  });
}

/** The provisioning URI and its QR code (a data: URL of a PNG) for authenticator apps. */
export async function totpProvisioning(secret: string, label: string, issuer: string) {
  const uri = totpFor(secret, label, issuer).toString();
  // qrcode loads with the first enrolment, not at start.
  const { default: QRCode } = await import('qrcode');
  return { uri, qrCode: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/**
 * Checks a code within ±1 step of now and answers the step it belongs to, or null. A step at or
 * before `lastUsedStep` is refused, so a code cannot be used twice.
 */
export function acceptTotpCode(
  secret: string,
  code: string,
  now: Date,
  lastUsedStep: bigint | null,
): bigint | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    period: PERIOD_SECONDS,
    timestamp: now.getTime(),
    window: 1,
  });
  if (delta === null) return null;
  const step = BigInt(Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta);
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

/** The code an authenticator app shows at a moment (for tests that play the app). */
export function totpCodeAt(secret: string, at: Date): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    period: PERIOD_SECONDS,
    timestamp: at.getTime(),
  });
}
