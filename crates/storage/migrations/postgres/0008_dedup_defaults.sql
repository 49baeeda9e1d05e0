-- Default dedup thresholds measured on the labelled pairs (docs/dedup.md): auto-merge at 0.80,
-- suspected from 0.55. Only a global row still at the original defaults is changed.
UPDATE dedup_settings SET high_threshold = 0.8, low_threshold = 0.55
WHERE category_id IS NULL AND high_threshold = 0.85 AND low_threshold = 0.6;
