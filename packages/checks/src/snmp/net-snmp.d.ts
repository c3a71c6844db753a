// The small part of net-snmp (which ships no types) that the snmp check uses.
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';

  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  export interface Session extends EventEmitter {
    get(oids: string[], callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    close(): void;
  }
  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
  }
  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }
  interface NetSnmp {
    Version2c: number;
    Version3: number;
    SecurityLevel: Record<'noAuthNoPriv' | 'authNoPriv' | 'authPriv', number>;
    AuthProtocols: Record<'none' | 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>;
    PrivProtocols: Record<'none' | 'des' | 'aes' | 'aes256b' | 'aes256r', number>;
    ObjectType: Record<string, number> & Record<number, string>;
    createSession(target: string, community: string, options?: SessionOptions): Session;
    createV3Session(target: string, user: User, options?: SessionOptions): Session;
    isVarbindError(varbind: Varbind): boolean;
    /** Internals the DES replacement (des.ts) uses. */
    Authentication: { passwordToKey(authProtocol: number, password: string, engineID: Buffer): Buffer };
    Encryption: {
      algorithms: Record<
        number,
        { encryptPdu: (...args: never[]) => unknown; decryptPdu: (...args: never[]) => unknown } | undefined
      >;
    };
    varbindError(varbind: Varbind): string;
  }
  const snmp: NetSnmp;
  export default snmp;
}
