import type { DocumentNode, GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

import type { Context } from '../context';

function errorCodes(errors: readonly GraphQLError[] | undefined): string[] {
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

/**
 * One log line per executed operation: its name and type, how long it took,
 * who asked, and whether it succeeded. Never the variables or the token.
 */
export function useOperationLog(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const document = args.document as DocumentNode;
      const operation = document.definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === 'OperationDefinition',
      );
      const fields = {
        operation: args.operationName ?? operation?.name?.value ?? null,
        operationType: operation?.operation,
      };

      return {
        onExecuteDone({ result }) {
          const durationMs = Math.round((performance.now() - started) * 10) / 10;
          const log = args.contextValue.log;
          if (Symbol.asyncIterator in result) {
            log.info({ ...fields, durationMs, outcome: 'stream' }, 'operation streaming');
            return;
          }

          const codes = errorCodes(result.errors);
          const outcome = codes.length === 0 ? 'ok' : 'error';
          log.info(
            { ...fields, durationMs, outcome, ...(codes.length && { errors: codes }) },
            'operation',
          );
        },
      };
    },
  };
}
