CREATE TABLE "journey_rollouts" (
	"journey_id" integer PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"move_running" smallint NOT NULL,
	"phase" text NOT NULL,
	"after_id" integer DEFAULT 0 NOT NULL,
	"lease_owner" text NOT NULL,
	"lease_expires_at" bigint NOT NULL,
	"started_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "journey_rollouts" ADD CONSTRAINT "journey_rollouts_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE no action ON UPDATE no action;