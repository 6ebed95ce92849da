import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';

/** Placeholder until the demo catalog lands; seeds nothing yet. */
export async function seedDemoData(_prisma: PrismaClient, _log: Logger): Promise<void> {}
