import {
  createGraphQLError,
  maskError as yogaMaskError,
  type YogaServerOptions,
} from 'graphql-yoga';

import type { Logger } from '../logger';
import { DomainError } from '../services/errors';

type MaskError = NonNullable<
  Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']
>;

/**
 * Errors a client caused keep their message and get `extensions.code`;
 * anything unexpected is masked and logged once, with the request id of the
 * operation's logger, so an operator can find it.
 */
export function createErrorMasker(log: Logger, production: boolean): MaskError {
  return (error, message, isDev) => {
    const original = (error as { originalError?: unknown }).originalError;

    if (original instanceof DomainError) {
      return createGraphQLError(original.message, {
        nodes: (error as { nodes?: never }).nodes,
        path: (error as { path?: never }).path,
        extensions: {
          code: original.code,
          ...('field' in original && original.field ? { field: original.field } : {}),
        },
      });
    }

    const masked = yogaMaskError(error, message, isDev && !production);
    if (masked !== error) {
      log.error(
        { err: original ?? error },
        'unexpected error while executing an operation; masked for the client',
      );
    }

    return masked;
  };
}
