import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Encrypts secrets at rest with AES-256-GCM under a key the operator holds: the hub's secrets (TOTP
 * seeds, check passwords, channel tokens) and the site agent's copy of its assigned checks.
 * Stored form: `v1:<iv>:<tag>:<ciphertext>`, base64url parts. Lives here, beside the check types,
 * because both the hub and the agent use it and neither may depend on the other.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    return new SecretBox(key);
  }

  /** AFTERHOURS_SECRET_KEY (base64, 32 bytes) wins; otherwise a key file is read, or created once (mode 0600). */
  static load(options: { envKey?: string | undefined; keyFile: string }): SecretBox {
    if (options.envKey) {
      const key = Buffer.from(options.envKey, 'base64');
      if (key.length !== 32)
        throw new Error('AFTERHOURS_SECRET_KEY must be 32 bytes, base64-encoded (try: openssl rand -base64 32)');
      return new SecretBox(key);
    }
    if (!existsSync(options.keyFile)) {
      mkdirSync(dirname(options.keyFile), { recursive: true, mode: 0o700 });
      // 'wx': two processes starting at once cannot each write a different key; synced, because what it
      // encrypts is written later and must never outlive the key across a power cut.
      const fd = openSync(options.keyFile, 'wx', 0o600);
      try {
        writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    chmodSync(options.keyFile, 0o600);
    return SecretBox.load({ envKey: readFileSync(options.keyFile, 'utf8').trim(), keyFile: options.keyFile });
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(
      ':',
    );
  }

  /** An HMAC-SHA256 of `data` under a key derived from this key for one purpose (the hub's signed links). */
  mac(purpose: string, data: string): string {
    const key = createHmac('sha256', this.key).update(`afterhours:${purpose}`).digest();
    return createHmac('sha256', key).update(data).digest('base64url');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, body] = stored.split(':');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unrecognised encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
