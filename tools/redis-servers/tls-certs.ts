import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, trackDir } from './cleanup';

/** Files of a throwaway certificate authority and a server certificate it signed. */
export interface TestCa {
  readonly dir: string;
  /** PEM of the CA that signed the server certificate: what a client must trust. */
  readonly caFile: string;
  /** Server certificate (SAN `DNS:localhost, IP:127.0.0.1`), also usable as a client certificate. */
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM of a second, unrelated CA: a client trusting only this one must refuse the server. */
  readonly wrongCaFile: string;
}

const OPENSSL = process.env.OPENSSL_BIN ?? 'openssl';

function openssl(args: string[], cwd: string): void {
  execFileSync(OPENSSL, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(cwd: string, name: string, subject: string): void {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`], cwd);
  openssl(
    [
      'req', '-x509', '-new', '-key', `${name}.key`, '-sha256', '-days', '2', '-subj', subject,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-out', `${name}.crt`,
    ],
    cwd,
  );
}

/**
 * Creates a CA, a server certificate signed by it, and a second unrelated CA in `dir` with
 * openssl (EC P-256 keys: fast to generate). Valid for two days; meant for tests only.
 */
export function createTestCa(dir: string): TestCa {
  mkdirSync(dir, { recursive: true });
  selfSignedCa(dir, 'ca', '/CN=llmcache-test-ca');
  selfSignedCa(dir, 'wrong-ca', '/CN=llmcache-unrelated-ca');
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key'], dir);
  openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=localhost', '-out', 'server.csr'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      // The cluster bus connects node to node with the same certificate, so it is a client too.
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '2', '-sha256', '-extfile', 'server.ext', '-out', 'server.crt',
    ],
    dir,
  );
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
    wrongCaFile: join(dir, 'wrong-ca.crt'),
  };
}

let shared: TestCa | undefined;

// Under jest, importing the harness registers removal of this file's CA after the file's tests.
declare const afterAll: ((fn: () => void) => void) | undefined;
if (typeof afterAll === 'function') {
  afterAll(() => {
    if (shared !== undefined) removeDir(shared.dir);
    shared = undefined;
  });
}

/**
 * One CA per process (jest runs each test file in its own module registry, so: once per test
 * file), in a temp dir removed when the process exits.
 */
export function getTestCa(): TestCa {
  if (shared === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'llmcache-test-ca-'));
    trackDir(dir);
    shared = createTestCa(dir);
  }
  return shared;
}
