import { generateKeyLine, parseKeyring, type Keyring } from '@triage/crypto';

/** A fresh random keyring for one test (never a fixed key: nothing may depend on its bytes). */
export function testKeyring(id = 'test1'): Keyring {
  return parseKeyring(generateKeyLine(id));
}
