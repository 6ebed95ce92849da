import type { AppSuggestion } from '../../generated/prisma/client';
import { inTransaction } from '../../db/transaction';
import { DisabledError } from '../errors';
import { enqueueNotification } from '../notifications/outbox';
import { getOrgSettings } from '../settings';
import type { Viewer } from '../users';
import { assertText, assertUrl } from '../validate';
import type { RequestDeps } from './deps';

/**
 * An end user suggests an app that is not in the catalog; the org's
 * technical contact is told. Only while a technical contact is set.
 */
export async function suggestApp(
  deps: Pick<RequestDeps, 'prisma'>,
  viewer: Viewer,
  input: { name: string; url: string; note?: string | null },
): Promise<AppSuggestion> {
  const name = assertText(input.name, 'input.name', { max: 100, required: true });
  const url = assertUrl(input.url, 'input.url');
  const note = assertText(input.note, 'input.note', { max: 1_000 });

  return inTransaction(deps.prisma, async (tx) => {
    const settings = await getOrgSettings(tx);
    if (!settings.technicalContactEmail) {
      throw new DisabledError('app suggestions are off: the org has no technical contact');
    }

    const suggestion = await tx.appSuggestion.create({
      data: { userId: viewer.id, name, url, note },
    });
    await enqueueNotification(tx, {
      event: 'APP_SUGGESTED',
      recipients: [settings.technicalContactEmail],
      values: {
        requesterName: viewer.name ?? viewer.email,
        requesterEmail: viewer.email,
        suggestionName: name,
        suggestionUrl: url,
        suggestionNote: note ?? '',
      },
    });

    return suggestion;
  });
}
