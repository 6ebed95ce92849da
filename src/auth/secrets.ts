import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a secret kept in `dataDir`, or creates it there (readable by this
 * user only) on first use. Development and the embedded default use these;
 * production sets the matching variable instead.
 */
export function readOrCreateSecret(
  dataDir: string,
  fileName: string,
  bytes: number,
): { value: string; created: boolean } {
  const file = path.join(dataDir, fileName);
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value) {
      return { value, created: false };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }

  fs.mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(bytes).toString('hex');
  // `wx` fails if another process created the file meanwhile; read theirs.
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return readOrCreateSecret(dataDir, fileName, bytes);
    }
    throw error;
  }

  return { value, created: true };
}
