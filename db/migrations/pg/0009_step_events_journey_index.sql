DROP INDEX "step_events_journey_node";--> statement-breakpoint
CREATE INDEX "step_events_journey" ON "step_events" USING btree ("journey_id");