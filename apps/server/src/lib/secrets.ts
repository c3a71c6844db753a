import { createHash, randomBytes } from 'node:crypto';

export { SecretBox } from '@afterhours/checks';

/** Tokens and session ids are high-entropy, so a fast hash is enough to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}
