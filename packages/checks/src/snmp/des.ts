import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import snmpLib from 'net-snmp';

/**
 * SNMPv3 DES privacy (RFC 3414 §8, CBC-DES) that works on Node.js 17 and later. Their OpenSSL 3 keeps
 * single DES in its legacy provider, so net-snmp's own `des-cbc` cipher fails with "digital envelope
 * routines::unsupported" unless the process was started with --openssl-legacy-provider. Triple DES
 * (EDE: encrypt, decrypt, encrypt) under one key used three times is single DES, and OpenSSL's default
 * provider has it. The key, IV and salt are RFC 3414's: the privacy key localized with the user's
 * authentication hash gives the DES key (bytes 0–7) and the pre-IV (bytes 8–15); the salt is
 * engine boots (1: net-snmp keeps no engine state) and a random integer, XORed into the pre-IV.
 */

const BLOCK = 8;
const CIPHER = 'des-ede3-cbc';

interface Engine {
  engineID: Buffer;
}

function keys(authProtocol: number, privPassword: string, engine: Engine) {
  const localized = snmpLib.Authentication.passwordToKey(authProtocol, privPassword, engine.engineID);
  const key = localized.subarray(0, BLOCK);
  return { key: Buffer.concat([key, key, key]), preIv: localized.subarray(BLOCK, 2 * BLOCK) };
}

function ivOf(preIv: Buffer, salt: Buffer): Buffer {
  return Buffer.from(preIv.map((byte, i) => byte ^ (salt[i] ?? 0)));
}

export function encryptPduDes(
  scopedPdu: Buffer,
  _privProtocol: number,
  privPassword: string,
  authProtocol: number,
  engine: Engine,
) {
  const { key, preIv } = keys(authProtocol, privPassword, engine);
  const salt = Buffer.concat([Buffer.from([0, 0, 0, 1]), randomBytes(4)]);
  const padded = Buffer.alloc(Math.ceil(scopedPdu.length / BLOCK) * BLOCK);
  scopedPdu.copy(padded);
  const cipher = createCipheriv(CIPHER, key, ivOf(preIv, salt)).setAutoPadding(false);
  return { encryptedPdu: Buffer.concat([cipher.update(padded), cipher.final()]), msgPrivacyParameters: salt };
}

export function decryptPduDes(
  encryptedPdu: Buffer,
  _privProtocol: number,
  privParameters: Buffer,
  privPassword: string,
  authProtocol: number,
  engine: Engine,
): Buffer {
  const { key, preIv } = keys(authProtocol, privPassword, engine);
  const decipher = createDecipheriv(CIPHER, key, ivOf(preIv, privParameters)).setAutoPadding(false);
  return Buffer.concat([decipher.update(encryptedPdu), decipher.final()]);
}

/** Makes net-snmp use the functions above for DES (once per process; every session shares its table). */
export function installDes(): void {
  const des = snmpLib.Encryption.algorithms[snmpLib.PrivProtocols.des];
  if (!des) throw new Error('net-snmp has no DES entry to replace; check the net-snmp version');
  des.encryptPdu = encryptPduDes;
  des.decryptPdu = decryptPduDes;
}
