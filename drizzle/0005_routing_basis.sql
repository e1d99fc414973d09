-- Which rule decided each referral's team and priority (labels and scores only, no document content).
ALTER TABLE "referrals" ADD COLUMN "basis" jsonb;
