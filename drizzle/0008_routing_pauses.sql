-- The pause switch (operator or circuit breaker): a row per paused scope (`*` or a team).
CREATE TABLE "routing_pauses" (
	"scope" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"paused_by" text NOT NULL,
	"paused_at" timestamp with time zone DEFAULT now() NOT NULL
);
