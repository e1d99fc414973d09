ALTER TABLE "documents" ADD COLUMN "storage_key_id" text;--> statement-breakpoint
UPDATE "classifications" SET "evidence" = COALESCE((SELECT jsonb_agg(e - 'term') FROM jsonb_array_elements("evidence") AS e), '[]'::jsonb) WHERE jsonb_typeof("evidence") = 'array';--> statement-breakpoint
UPDATE "referrals" SET "red_flags" = COALESCE((SELECT jsonb_agg(e - 'term') FROM jsonb_array_elements("red_flags") AS e), '[]'::jsonb) WHERE jsonb_typeof("red_flags") = 'array';
