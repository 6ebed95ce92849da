/*
 * npm run token -- <email> [name]
 *
 * Prints a fresh bearer token (12 hours) for <email>, signed with
 * AUTH_JWT_SECRET or with the secret the server generated into DATA_DIR,
 * so it works against a server started with the same environment. Only the
 * token goes to stdout, so `TOKEN=$(npm run -s token -- alice@example.com)`
 * works. It never opens the database: PGlite allows one process per folder,
 * and a running server may hold it.
 */
import { createTokenVerifier } from '../src/auth/tokens';
import { ConfigError, loadConfig } from '../src/config';

const USAGE = 'usage: npm run token -- <email> [name]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const [email, ...nameParts] = process.argv.slice(2);
  if (!email || !email.includes('@')) {
    fail(`an e-mail address is required\n${USAGE}`);
  }

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(`configuration: ${error.message}`);
    }
    throw error;
  }
  if (config.auth.jwksUrl) {
    fail(
      'AUTH_JWKS_URL is set: the server accepts only tokens from that identity provider; ' +
        'get one there instead.',
    );
  }

  const verifier = createTokenVerifier(config);
  const name = nameParts.join(' ').trim() || undefined;
  const token = await verifier.sign!({ email: email.trim().toLowerCase(), name }, '12h');
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
