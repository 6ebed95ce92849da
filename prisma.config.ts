// Configuration of the Prisma CLI (generate, migrate). The server does not
// read this file: it applies migrations itself (src/db/migrate.ts).
//
// The CLI runs the WebAssembly schema engine that ships inside the prisma
// package, through a driver adapter, so it never downloads a native engine.
// With DATABASE_URL it talks to that PostgreSQL server; without it, to the
// PGlite folder ./data/dev-cli, which is where new migrations are authored.
import fs from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { PrismaConfig } from 'prisma';

// @prisma/adapter-pg 6.19.3 cannot describe catalog columns of type `name`
// (oid 19) and `"char"` (oid 18), which the schema engine reads, and fails
// with "Column type 'name' could not be deserialized". Reporting both as
// text (oid 25) is exact for these columns. Runtime queries never see them.
// `addFields` is internal to pg and missing from its types.
type FieldDescription = { dataTypeID: number };
const resultProto = pg.Result.prototype as unknown as {
  addFields(fields: FieldDescription[]): void;
};
const addFields = resultProto.addFields;
resultProto.addFields = function (fieldDescriptions) {
  for (const field of fieldDescriptions) {
    if (field.dataTypeID === 18 || field.dataTypeID === 19) {
      field.dataTypeID = 25;
    }
  }
  return addFields.call(this, fieldDescriptions);
};

export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (url) {
      return new PrismaPg({ connectionString: url });
    }

    const dir = path.join('data', 'dev-cli');
    fs.mkdirSync(dir, { recursive: true });
    // pglite-prisma-adapter 0.6 is typed against an older
    // @prisma/driver-adapter-utils; the runtime contract is the same.
    return new PrismaPGlite(new PGlite(dir)) as unknown as PrismaPg;
  },
} satisfies PrismaConfig;
