CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hash" text NOT NULL,
	"token_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "sessions_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_token_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_token_idx" ON "sessions" USING btree ("token_id");--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "predicted_urgency" text;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "predicted_specialty" text;--> statement-breakpoint
ALTER TABLE "review_tasks" ADD COLUMN "model_version" text;--> statement-breakpoint
CREATE INDEX "review_tasks_decided_idx" ON "review_tasks" USING btree ("decided_at");--> statement-breakpoint
CREATE FUNCTION "review_tasks_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text;
BEGIN
	IF TG_OP = 'INSERT' THEN
		kind := 'created';
	ELSIF NEW.status = 'decided' AND OLD.status <> 'decided' THEN
		kind := 'decided';
	ELSIF NEW.claimed_by IS NULL AND OLD.claimed_by IS NOT NULL THEN
		kind := 'released';
	ELSIF NEW.claimed_by IS NOT NULL AND (OLD.claimed_by IS DISTINCT FROM NEW.claimed_by OR OLD.claim_expires_at < now()) THEN
		kind := 'claimed';
	ELSE
		RETURN NEW;
	END IF;
	-- Ids only: the payload leaves the database on every listening connection.
	PERFORM pg_notify('review_events', json_build_object('type', kind, 'taskId', NEW.id)::text);
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "review_tasks_notify_trg" AFTER INSERT OR UPDATE ON "review_tasks" FOR EACH ROW EXECUTE FUNCTION "review_tasks_notify"();
