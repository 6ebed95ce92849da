import type { PrismaClient } from '../generated/prisma/client';
import { AppRequestStatus } from '../generated/prisma/enums';
import { listUserAddedApplications, type UserAddedApplication } from './personal-apps';

/*
 * The Usage tab: how self service is used across the org. Each figure is
 * one SQL statement over the whole table, so the cost does not grow with
 * the number of apps or people shown. The SQL is PostgreSQL's dialect,
 * which PGlite speaks too.
 */

/** How many apps requestsByApp lists at most. */
export const USAGE_APP_LIMIT = 50;

/** How many grouped personal apps personalAppUsage lists at most. */
export const USAGE_PERSONAL_APP_LIMIT = 10;

export interface RequestStatusCount {
  status: AppRequestStatus;
  count: number;
}

/** Request counts of one app, by status. */
export interface AppRequestUsage {
  appId: string;
  total: number;
  pending: number;
  approved: number;
  denied: number;
  expired: number;
  cancelled: number;
}

export interface TimeToDecision {
  /** Requests that ended APPROVED, DENIED or EXPIRED after at least one step decision. */
  decided: number;
  /** Seconds from creation to resolution; null while nothing was decided. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface PersonalAppUsage {
  /** Personal apps across the org (rows). */
  total: number;
  /** People who have at least one. */
  users: number;
  /** Different apps: personal apps grouped by normalized name and URL. */
  distinctApps: number;
  /** The most widely used groups, as userAddedApplications lists them. */
  top: UserAddedApplication[];
}

/** Requests by status, every status listed (zero included), in the enum's order. */
export async function requestsByStatus(prisma: PrismaClient): Promise<RequestStatusCount[]> {
  const rows = await prisma.$queryRaw<RequestStatusCount[]>`
    SELECT status::text AS "status", count(*)::int AS "count"
    FROM app_requests
    GROUP BY status
  `;
  const counts = new Map(rows.map((row) => [row.status, row.count]));

  return Object.values(AppRequestStatus).map((status) => ({
    status,
    count: counts.get(status) ?? 0,
  }));
}

/** How many requests ended EXPIRED: no decision was made in time. */
export function expiredCount(prisma: PrismaClient): Promise<number> {
  return prisma.appRequest.count({ where: { status: 'EXPIRED' } });
}

/**
 * Request counts per app, the most requested first (ties by label), at most
 * USAGE_APP_LIMIT apps. Apps nobody requested are not listed.
 */
export function requestsByApp(prisma: PrismaClient): Promise<AppRequestUsage[]> {
  return prisma.$queryRaw<AppRequestUsage[]>`
    SELECT
      r.app_id::text AS "appId",
      count(*)::int AS "total",
      (count(*) FILTER (WHERE r.status = 'PENDING'))::int AS "pending",
      (count(*) FILTER (WHERE r.status = 'APPROVED'))::int AS "approved",
      (count(*) FILTER (WHERE r.status = 'DENIED'))::int AS "denied",
      (count(*) FILTER (WHERE r.status = 'EXPIRED'))::int AS "expired",
      (count(*) FILTER (WHERE r.status = 'CANCELLED'))::int AS "cancelled"
    FROM app_requests r
    JOIN app_integrations a ON a.id = r.app_id
    GROUP BY r.app_id, a.label
    ORDER BY "total" DESC, a.label ASC, r.app_id ASC
    LIMIT ${USAGE_APP_LIMIT}
  `;
}

/**
 * How long requests waited for their outcome, from creation to resolution.
 * Only requests somebody (or a step's timeout) had to decide count: those
 * granted at once because the app needs no approval would pull the median
 * towards zero, and cancelled requests were never decided.
 */
export async function timeToDecision(prisma: PrismaClient): Promise<TimeToDecision> {
  // extract() yields numeric; percentile_cont wants double precision, and
  // double precision reaches JavaScript as a number rather than a Decimal.
  const [row] = await prisma.$queryRaw<TimeToDecision[]>`
    SELECT
      count(*)::int AS "decided",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS "medianSeconds",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS "p90Seconds"
    FROM (
      SELECT extract(epoch FROM r.resolved_at - r.created_at)::float8 AS seconds
      FROM app_requests r
      WHERE r.status IN ('APPROVED', 'DENIED', 'EXPIRED')
        AND r.resolved_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM approval_decisions d WHERE d.request_id = r.id)
    ) AS decided
  `;

  return row ?? { decided: 0, medianSeconds: null, p90Seconds: null };
}

/** Personal apps across the org: how many, by how many people, and the top ones. */
export async function personalAppUsage(prisma: PrismaClient): Promise<PersonalAppUsage> {
  const [[counts], top] = await Promise.all([
    prisma.$queryRaw<Omit<PersonalAppUsage, 'top'>[]>`
      SELECT
        count(*)::int AS "total",
        count(DISTINCT user_id)::int AS "users",
        count(DISTINCT (normalized_name, normalized_url))::int AS "distinctApps"
      FROM personal_apps
    `,
    listUserAddedApplications(prisma, { offset: 0, limit: USAGE_PERSONAL_APP_LIMIT }),
  ]);

  return { total: 0, users: 0, distinctApps: 0, ...counts, top };
}
