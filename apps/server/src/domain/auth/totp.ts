import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'Afterhours';

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export async function totpEnrolment(secretBase32: string, email: string) {
  const otpauthUrl = totpFor(secretBase32, email).toString();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret: secretBase32, otpauthUrl, qrSvg };
}

/** Accepts the current code and one step either side, for phones whose clocks drift. */
export function verifyTotp(secretBase32: string, code: string, at: Date): boolean {
  return totpFor(secretBase32, 'check').validate({ token: code, timestamp: at.getTime(), window: 1 }) !== null;
}

export function currentTotp(secretBase32: string, at: Date): string {
  return totpFor(secretBase32, 'check').generate({ timestamp: at.getTime() });
}
