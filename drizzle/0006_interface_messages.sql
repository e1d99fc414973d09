-- HL7 v2 and FHIR intake: structured fields sealed on the document, flags that force review, amendments and cancels.
ALTER TABLE "documents" ADD COLUMN "intake_fields" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "intake_flags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "supersedes" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "interface_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"protocol" text NOT NULL,
	"channel" text NOT NULL,
	"endpoint" text NOT NULL,
	"sender" text NOT NULL,
	"control_id" text NOT NULL,
	"message_type" text,
	"sha256" text NOT NULL,
	"byte_size" integer NOT NULL,
	"storage_key" text NOT NULL,
	"storage_key_id" text,
	"status" text NOT NULL,
	"action" text,
	"error_code" integer,
	"error_text" text,
	"ack_code" text,
	"ack" text,
	"referral_key" text,
	"document_id" uuid REFERENCES "documents"("id"),
	"related_document_id" uuid REFERENCES "documents"("id"),
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" uuid REFERENCES "tokens"("id"),
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "interface_messages_uq" ON "interface_messages" USING btree ("sender","control_id","sha256");--> statement-breakpoint
CREATE INDEX "interface_messages_key_idx" ON "interface_messages" USING btree ("referral_key","received_at");--> statement-breakpoint
CREATE INDEX "interface_messages_status_idx" ON "interface_messages" USING btree ("status","received_at");
