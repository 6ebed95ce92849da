-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SignOnMode" AS ENUM ('SAML_2_0', 'OPENID_CONNECT', 'SECURE_WEB_AUTHENTICATION', 'BOOKMARK');

-- CreateEnum
CREATE TYPE "TimeoutAction" AS ENUM ('EXPIRE', 'DENY', 'APPROVE', 'ESCALATE');

-- CreateEnum
CREATE TYPE "AppNoteKind" AS ENUM ('NOTE', 'COMMENT');

-- CreateEnum
CREATE TYPE "NotificationEvent" AS ENUM ('REQUEST_SUBMITTED', 'APPROVAL_REQUIRED', 'REQUEST_APPROVED', 'REQUEST_DENIED', 'REQUEST_EXPIRED', 'REQUEST_CANCELLED', 'REQUEST_DELETED', 'APP_SUGGESTED');

-- CreateEnum
CREATE TYPE "AssignmentSource" AS ENUM ('SELF_SERVICE', 'APPROVED_REQUEST', 'ADMIN_OVERRIDE', 'ADMIN');

-- CreateEnum
CREATE TYPE "ProvisioningStatus" AS ENUM ('NOT_REQUIRED', 'PENDING', 'PROVISIONED', 'FAILED', 'DEPROVISIONED');

-- CreateEnum
CREATE TYPE "AppRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'DENIED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('APPROVED', 'DENIED', 'TIMED_OUT_APPROVED', 'TIMED_OUT_DENIED', 'TIMED_OUT_EXPIRED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "RequestEventType" AS ENUM ('CREATED', 'STEP_STARTED', 'STEP_APPROVED', 'ESCALATED', 'APPROVED', 'DENIED', 'EXPIRED', 'CANCELLED', 'DELETED', 'OVERRIDDEN', 'ASSIGNED', 'NOTIFICATION_RESENT');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'LOGGED');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "groups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_memberships" (
    "group_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "group_memberships_pkey" PRIMARY KEY ("group_id","user_id")
);

-- CreateTable
CREATE TABLE "app_integrations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "description" TEXT,
    "logo_url" TEXT,
    "launch_url" TEXT,
    "sign_on_mode" "SignOnMode" NOT NULL DEFAULT 'SAML_2_0',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "requestable" BOOLEAN NOT NULL DEFAULT false,
    "approval_required" BOOLEAN NOT NULL DEFAULT true,
    "requester_note" VARCHAR(500),
    "notify_emails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "provisioning_enabled" BOOLEAN NOT NULL DEFAULT false,
    "scim_base_url" TEXT,
    "scim_token_encrypted" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_steps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "app_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "approver_user_id" UUID,
    "approver_group_id" UUID,
    "timeout" TEXT,
    "timeout_action" "TimeoutAction" NOT NULL DEFAULT 'EXPIRE',
    "escalate_to_user_id" UUID,
    "notification_message" VARCHAR(2000),

    CONSTRAINT "approval_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_notes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "app_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "kind" "AppNoteKind" NOT NULL DEFAULT 'NOTE',
    "body" VARCHAR(2000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "user_app_requests_enabled" BOOLEAN NOT NULL DEFAULT true,
    "allow_personal_apps" BOOLEAN NOT NULL DEFAULT true,
    "technical_contact_email" TEXT,
    "default_approval_timeout" TEXT NOT NULL DEFAULT 'P7D',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "org_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_templates" (
    "event" "NotificationEvent" NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "body" VARCHAR(5000) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_templates_pkey" PRIMARY KEY ("event")
);

-- CreateTable
CREATE TABLE "personal_apps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "normalized_name" TEXT NOT NULL,
    "normalized_url" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "personal_apps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_assignments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "app_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "source" "AssignmentSource" NOT NULL,
    "request_id" UUID,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provisioning_status" "ProvisioningStatus" NOT NULL DEFAULT 'NOT_REQUIRED',
    "external_id" TEXT,
    "last_error" TEXT,

    CONSTRAINT "app_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "app_id" UUID NOT NULL,
    "requester_id" UUID NOT NULL,
    "justification" VARCHAR(1000),
    "status" "AppRequestStatus" NOT NULL DEFAULT 'PENDING',
    "idempotency_key" VARCHAR(200),
    "current_step_id" UUID,
    "current_position" INTEGER,
    "current_approver_user_id" UUID,
    "current_approver_group_id" UUID,
    "current_approver_is_admins" BOOLEAN NOT NULL DEFAULT false,
    "step_started_at" TIMESTAMPTZ(3),
    "step_deadline" TIMESTAMPTZ(3),
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "end_reason" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "app_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_decisions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "request_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "step_id" UUID,
    "approver_id" UUID,
    "outcome" "DecisionOutcome" NOT NULL,
    "comment" VARCHAR(1000),
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_events" (
    "id" BIGSERIAL NOT NULL,
    "request_id" UUID NOT NULL,
    "type" "RequestEventType" NOT NULL,
    "actor_id" UUID,
    "audience" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event" "NotificationEvent" NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "html_body" TEXT,
    "request_id" UUID,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_suggestions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "note" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "groups_name_key" ON "groups"("name");

-- CreateIndex
CREATE INDEX "group_memberships_user_id_idx" ON "group_memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "app_integrations_name_key" ON "app_integrations"("name");

-- CreateIndex
CREATE UNIQUE INDEX "approval_steps_app_id_position_key" ON "approval_steps"("app_id", "position");

-- CreateIndex
CREATE INDEX "app_notes_app_id_created_at_idx" ON "app_notes"("app_id", "created_at");

-- CreateIndex
CREATE INDEX "personal_apps_normalized_name_normalized_url_idx" ON "personal_apps"("normalized_name", "normalized_url");

-- CreateIndex
CREATE UNIQUE INDEX "personal_apps_user_id_normalized_url_key" ON "personal_apps"("user_id", "normalized_url");

-- CreateIndex
CREATE UNIQUE INDEX "app_assignments_request_id_key" ON "app_assignments"("request_id");

-- CreateIndex
CREATE INDEX "app_assignments_user_id_idx" ON "app_assignments"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "app_assignments_app_id_user_id_key" ON "app_assignments"("app_id", "user_id");

-- CreateIndex
CREATE INDEX "app_requests_status_step_deadline_idx" ON "app_requests"("status", "step_deadline");

-- CreateIndex
CREATE INDEX "app_requests_app_id_status_idx" ON "app_requests"("app_id", "status");

-- CreateIndex
CREATE INDEX "app_requests_current_approver_user_id_status_idx" ON "app_requests"("current_approver_user_id", "status");

-- CreateIndex
CREATE INDEX "app_requests_current_approver_group_id_status_idx" ON "app_requests"("current_approver_group_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "app_requests_requester_id_idempotency_key_key" ON "app_requests"("requester_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "approval_decisions_request_id_position_key" ON "approval_decisions"("request_id", "position");

-- CreateIndex
CREATE INDEX "request_events_request_id_id_idx" ON "request_events"("request_id", "id");

-- CreateIndex
CREATE INDEX "notifications_status_next_attempt_at_idx" ON "notifications"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notifications_created_at_idx" ON "notifications"("created_at");

-- AddForeignKey
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_approver_user_id_fkey" FOREIGN KEY ("approver_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_approver_group_id_fkey" FOREIGN KEY ("approver_group_id") REFERENCES "groups"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_escalate_to_user_id_fkey" FOREIGN KEY ("escalate_to_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_notes" ADD CONSTRAINT "app_notes_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_notes" ADD CONSTRAINT "app_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "personal_apps" ADD CONSTRAINT "personal_apps_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_assignments" ADD CONSTRAINT "app_assignments_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_assignments" ADD CONSTRAINT "app_assignments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_assignments" ADD CONSTRAINT "app_assignments_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "app_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_requests" ADD CONSTRAINT "app_requests_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "app_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_requests" ADD CONSTRAINT "app_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_requests" ADD CONSTRAINT "app_requests_current_step_id_fkey" FOREIGN KEY ("current_step_id") REFERENCES "approval_steps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_requests" ADD CONSTRAINT "app_requests_current_approver_user_id_fkey" FOREIGN KEY ("current_approver_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_requests" ADD CONSTRAINT "app_requests_current_approver_group_id_fkey" FOREIGN KEY ("current_approver_group_id") REFERENCES "groups"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "app_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "app_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "app_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_suggestions" ADD CONSTRAINT "app_suggestions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Rules the Prisma schema cannot express.

-- A step has exactly one approver: a user or a group. Chains hold at most 10.
ALTER TABLE "approval_steps"
  ADD CONSTRAINT "approval_steps_one_approver"
    CHECK (("approver_user_id" IS NULL) <> ("approver_group_id" IS NULL)),
  ADD CONSTRAINT "approval_steps_position_range"
    CHECK ("position" BETWEEN 1 AND 10);

-- One pending request per person and app: concurrent requestApp calls race
-- on this index, not on a read-then-write in the service.
CREATE UNIQUE INDEX "app_requests_one_pending"
  ON "app_requests" ("app_id", "requester_id")
  WHERE "status" = 'PENDING';

-- The settings table holds exactly one row, created here.
ALTER TABLE "org_settings" ADD CONSTRAINT "org_settings_singleton" CHECK ("id" = 1);
INSERT INTO "org_settings" ("id", "updated_at") VALUES (1, CURRENT_TIMESTAMP);

-- The request event log is append-only: subscriptions resume from its ids
-- and the timeline is kept after a request ends.
CREATE FUNCTION "request_events_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'request_events is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "request_events_append_only"
  BEFORE UPDATE OR DELETE ON "request_events"
  FOR EACH ROW EXECUTE FUNCTION "request_events_append_only"();
