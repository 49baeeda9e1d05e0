-- Dedup candidates are read through cases_open_place_idx (migration 0016), which holds the open
-- cases by grid cell; nothing reads cases by grid cell otherwise, so the index on all cases by
-- grid cell only cost every new case an index entry on a random page.
-- Keep in lockstep with the other backend's migration of the same name.

DROP INDEX IF EXISTS cases_grid_idx;
