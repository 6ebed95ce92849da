import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

import type { Config } from '../config';
import { readOrCreateSecret } from './secrets';

export const JWT_SECRET_FILE = 'auth-jwt-secret';

/** What a verified token says about its bearer. */
export interface TokenIdentity {
  email: string;
  name: string | undefined;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export interface TokenVerifier {
  verify(token: string): Promise<TokenIdentity>;
  /** Only with an HS256 secret: signs development tokens. */
  sign?(identity: { email: string; name?: string }, expiresIn?: string): Promise<string>;
  /** True when the secret was generated into DATA_DIR on this start. */
  secretGenerated: boolean;
  mode: 'hs256' | 'jwks';
}

function toIdentity(payload: JWTPayload): TokenIdentity {
  const email = payload.email;
  if (typeof email !== 'string' || !email.includes('@')) {
    throw new InvalidTokenError('the token has no e-mail claim');
  }
  const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name : undefined;

  return { email: email.trim().toLowerCase(), name };
}

function describe(error: unknown): string {
  if (error instanceof InvalidTokenError) {
    return error.message;
  }
  if (error instanceof joseErrors.JWTExpired) {
    return 'the token has expired';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `the token's ${error.claim} claim is not accepted`;
  }

  return 'the token could not be verified';
}

/**
 * Builds the one place where bearer tokens are verified: an OpenID Connect
 * provider's keys when AUTH_JWKS_URL is set, else an HS256 secret (given, or
 * generated into DATA_DIR).
 */
export function createTokenVerifier(config: Config): TokenVerifier {
  const { issuer, audience } = config.auth;
  const claims = { issuer, audience };

  if (config.auth.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.auth.jwksUrl));

    return {
      mode: 'jwks',
      secretGenerated: false,
      async verify(token) {
        try {
          const { payload } = await jwtVerify(token, keys, {
            ...claims,
            algorithms: ['RS256', 'ES256'],
          });
          return toIdentity(payload);
        } catch (error) {
          throw new InvalidTokenError(describe(error), { cause: error });
        }
      },
    };
  }

  const secret = config.auth.jwtSecret
    ? { value: config.auth.jwtSecret, created: false }
    : readOrCreateSecret(config.dataDir, JWT_SECRET_FILE, 32);
  const key = new TextEncoder().encode(secret.value);

  return {
    mode: 'hs256',
    secretGenerated: !config.auth.jwtSecret,
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { ...claims, algorithms: ['HS256'] });
        return toIdentity(payload);
      } catch (error) {
        throw new InvalidTokenError(describe(error), { cause: error });
      }
    },
    async sign(identity, expiresIn = '12h') {
      let jwt = new SignJWT({
        email: identity.email,
        ...(identity.name && { name: identity.name }),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(identity.email)
        .setIssuedAt()
        .setExpirationTime(expiresIn);
      if (issuer) {
        jwt = jwt.setIssuer(issuer);
      }
      if (audience) {
        jwt = jwt.setAudience(audience);
      }
      return jwt.sign(key);
    },
  };
}

/** Takes the token out of an `Authorization: Bearer <token>` value. */
export function parseBearer(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');

  return match?.[1];
}
