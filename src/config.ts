import path from 'node:path';

/**
 * Everything the server reads from its environment, validated once at start.
 * No other module reads `process.env`.
 */
export interface Config {
  port: number;
  host: string;
  /** A `postgres://` URL; undefined runs the embedded PGlite database. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  auth: {
    /** HS256 secret; undefined means one is generated into `dataDir`. */
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
  };
  /** Lower-cased e-mails of org administrators. */
  adminEmails: ReadonlySet<string>;
  seedDemo: boolean;
  /** 32 bytes, hex or base64; undefined means one is generated into `dataDir`. */
  encryptionKey: string | undefined;
  smtpUrl: string | undefined;
  production: boolean;
  introspection: boolean;
  /** `pretty` when a person reads the log in a terminal, else JSON lines. */
  logFormat: 'json' | 'pretty';
  logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') {
    return fallback;
  }

  if (['true', '1', 'yes'].includes(raw)) {
    return true;
  }
  if (['false', '0', 'no'].includes(raw)) {
    return false;
  }
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function readPort(env: Env): number {
  const raw = env.PORT?.trim() || '4000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  }

  return port;
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) {
    return undefined;
  }

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got ${url.protocol}`);
  }

  return raw;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();

  return raw ? raw : undefined;
}

/** Reads and validates the configuration; throws `ConfigError` naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const jwksUrl = readUrl(env, 'AUTH_JWKS_URL', ['https:', 'http:']);
  const jwtSecret = optional(env, 'AUTH_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET must be at least 32 characters long');
  }

  const adminEmails = new Set(
    (env.ADMIN_EMAILS ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );

  return {
    port: readPort(env),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    auth: {
      jwtSecret,
      jwksUrl,
      issuer: optional(env, 'AUTH_ISSUER'),
      audience: optional(env, 'AUTH_AUDIENCE'),
    },
    adminEmails,
    seedDemo: readBoolean(env, 'SEED_DEMO', true),
    encryptionKey: optional(env, 'ENCRYPTION_KEY'),
    smtpUrl: readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    production,
    introspection: readBoolean(env, 'ENABLE_INTROSPECTION', !production),
    logFormat: env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json',
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
  };
}
