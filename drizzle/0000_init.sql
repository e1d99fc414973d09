CREATE TYPE "public"."document_kind" AS ENUM('pdf', 'png', 'jpeg', 'tiff', 'text');--> statement-breakpoint
CREATE TYPE "public"."document_status" AS ENUM('received', 'processing', 'needs_review', 'routed', 'failed', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('intake', 'reviewer', 'admin', 'auditor');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"document_id" uuid,
	"ip" text,
	"detail" jsonb,
	"allowed" boolean DEFAULT true NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "classifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"run" integer NOT NULL,
	"urgency" text NOT NULL,
	"urgency_confidence" real NOT NULL,
	"specialty" text NOT NULL,
	"specialty_confidence" real NOT NULL,
	"probabilities" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"model_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text,
	"idempotency_key" text,
	"sha256" text NOT NULL,
	"kind" "document_kind" NOT NULL,
	"byte_size" integer NOT NULL,
	"storage_key" text NOT NULL,
	"status" "document_status" DEFAULT 'received' NOT NULL,
	"stage" text DEFAULT 'extract' NOT NULL,
	"run" integer DEFAULT 1 NOT NULL,
	"failure_reason" text,
	"failure_message" text,
	"created_by" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"recipient" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"message_id" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sending_at" timestamp with time zone,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pages" (
	"document_id" uuid NOT NULL,
	"page_no" integer NOT NULL,
	"source" text NOT NULL,
	"text" text NOT NULL,
	"ocr_confidence" real,
	"rotation" integer,
	"ocr_engine" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"state" text NOT NULL,
	"urgency" text NOT NULL,
	"urgency_confidence" real NOT NULL,
	"specialty" text NOT NULL,
	"specialty_confidence" real NOT NULL,
	"team" text,
	"team_email" text,
	"reasons" jsonb NOT NULL,
	"red_flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"model_version" text NOT NULL,
	"policy_version" text NOT NULL,
	"decided_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reasons" jsonb NOT NULL,
	"claimed_by" uuid,
	"claim_expires_at" timestamp with time zone,
	"decision" jsonb,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stage_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"run" integer NOT NULL,
	"job_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"worker" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"outcome" text DEFAULT 'running' NOT NULL,
	"error_class" text,
	"error_message" text,
	"input_digest" text,
	"output_digest" text,
	"code_version" text NOT NULL,
	"model_version" text,
	"policy_version" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "stage_runs" (
	"document_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"run" integer NOT NULL,
	"outcome" jsonb NOT NULL,
	"output_digest" text,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" "role" NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "classifications" ADD CONSTRAINT "classifications_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_created_by_tokens_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_claimed_by_tokens_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD CONSTRAINT "review_tasks_decided_by_tokens_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_attempts" ADD CONSTRAINT "stage_attempts_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_runs" ADD CONSTRAINT "stage_runs_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_doc_idx" ON "audit_events" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "classifications_uq" ON "classifications" USING btree ("document_id","run");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_source_sha_uq" ON "documents" USING btree ("source","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_idem_uq" ON "documents" USING btree ("created_by","idempotency_key") WHERE "documents"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "documents_status_idx" ON "documents" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_uq" ON "outbox" USING btree ("referral_id","recipient","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "pages_uq" ON "pages" USING btree ("document_id","page_no");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_document_uq" ON "referrals" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_tasks_open_uq" ON "review_tasks" USING btree ("document_id") WHERE "review_tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "review_tasks_status_idx" ON "review_tasks" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "stage_attempts_doc_idx" ON "stage_attempts" USING btree ("document_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "stage_runs_uq" ON "stage_runs" USING btree ("document_id","stage","run");