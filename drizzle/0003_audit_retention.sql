-- Retention: a purged document keeps its row and decision record; its content is gone.
ALTER TABLE "documents" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pages" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
-- Same bytes from the same source after a purge are a new document, not a duplicate of a record with no content.
DROP INDEX "documents_source_sha_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "documents_source_sha_uq" ON "documents" USING btree ("source","sha256") WHERE "purged_at" IS NULL;--> statement-breakpoint
CREATE INDEX "documents_retention_idx" ON "documents" USING btree ("completed_at") WHERE "purged_at" IS NULL;--> statement-breakpoint
-- Append-only audit trail: refused even to the table owner (a trigger), and no UPDATE/DELETE/TRUNCATE grant.
CREATE OR REPLACE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM PUBLIC;
