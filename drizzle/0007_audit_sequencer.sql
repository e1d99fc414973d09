-- The audit hash chain moves off the write path: writers insert events (and a pending marker) without a lock; one
-- sequencer at a time chains them in batches into audit_chain, gap-free by seq.
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
CREATE TABLE "audit_chain" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"event_id" bigint NOT NULL UNIQUE REFERENCES "audit_events"("id"),
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"sequenced_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE TABLE "audit_pending" (
	"event_id" bigint PRIMARY KEY NOT NULL REFERENCES "audit_events"("id"),
	"at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
-- The existing chain is kept as it was computed (same hash formula), in its id order.
INSERT INTO "audit_chain" ("seq", "event_id", "prev_hash", "hash")
  SELECT row_number() OVER (ORDER BY "id"), "id", "prev_hash", "hash" FROM "audit_events" WHERE "hash" IS NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "audit_chain_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_chain is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_chain_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_chain" FOR EACH STATEMENT EXECUTE FUNCTION "audit_chain_append_only"();--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_chain" FROM PUBLIC;
