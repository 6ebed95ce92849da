import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

import type { Context } from '../context';
import { unauthenticated } from './context';

function onlyIntrospection(selectionSet: SelectionSetNode, document: DocumentNode): boolean {
  return selectionSet.selections.every((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value.startsWith('__');
      case Kind.INLINE_FRAGMENT:
        return onlyIntrospection(selection.selectionSet, document);
      case Kind.FRAGMENT_SPREAD: {
        const fragment = document.definitions.find(
          (definition) =>
            definition.kind === Kind.FRAGMENT_DEFINITION &&
            definition.name.value === selection.name.value,
        );
        return fragment?.kind === Kind.FRAGMENT_DEFINITION
          ? onlyIntrospection(fragment.selectionSet, document)
          : false;
      }
    }
  });
}

/**
 * Every operation needs a signed-in viewer, except one that asks only for
 * introspection, so GraphiQL can load the schema before a token is pasted.
 * The refusal is an UNAUTHENTICATED error with HTTP status 401.
 */
export function useRequireViewer(): Plugin<Context> {
  return {
    onExecute({ args }) {
      if (args.contextValue.viewer) {
        return;
      }

      const document = args.document as DocumentNode;
      const operation = document.definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION &&
          (args.operationName == null || definition.name?.value === args.operationName),
      );
      if (operation && onlyIntrospection(operation.selectionSet, document)) {
        return;
      }

      throw unauthenticated('sign in: send "Authorization: Bearer <token>"');
    },
    onSubscribe({ args }) {
      if (!args.contextValue.viewer) {
        throw unauthenticated('sign in: send "Authorization: Bearer <token>"');
      }
    },
  };
}
