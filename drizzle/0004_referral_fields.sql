-- Fields read from each referral, per pass; values sealed like page text.
CREATE TABLE "referral_fields" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL REFERENCES "documents"("id"),
	"run" integer NOT NULL,
	"fields" text NOT NULL,
	"found" jsonb NOT NULL,
	"missing" jsonb NOT NULL,
	"conflicts" jsonb NOT NULL,
	"fields_version" text NOT NULL,
	"clinics_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purged_at" timestamp with time zone
);--> statement-breakpoint
CREATE UNIQUE INDEX "referral_fields_uq" ON "referral_fields" USING btree ("document_id","run");--> statement-breakpoint
-- OCR word boxes: offsets and pixels only, so a reviewer can see where on the page a value was read.
ALTER TABLE "pages" ADD COLUMN "layout" jsonb;--> statement-breakpoint
-- A review task can wait on the referrer: its SLA clock stops while information is requested.
ALTER TABLE "review_tasks" ADD COLUMN "sla_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "sla_paused_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
DROP INDEX "review_tasks_open_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "review_tasks_open_uq" ON "review_tasks" USING btree ("document_id") WHERE "status" IN ('open', 'information_requested');
