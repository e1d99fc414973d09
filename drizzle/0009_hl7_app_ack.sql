-- Application responses (RRI^I12, ORR^O02, ORG^O20) go back to senders that asked for them in MSH-16.
ALTER TABLE "interface_messages" ADD COLUMN "app_ack" text;--> statement-breakpoint
CREATE INDEX "interface_messages_doc_idx" ON "interface_messages" USING btree ("document_id");
