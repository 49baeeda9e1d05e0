-- Dedup candidates are the open cases in a few grid cells within a time window, narrowed to a
-- distance box and a major category (storage::clue::case::candidates_by_cells). This index holds
-- only the open cases, with every column those conditions read, so that only the cases that meet
-- them are read from the table.
-- Keep in lockstep with the other backend's migration of the same name.

CREATE INDEX cases_open_place_idx ON cases (grid_cell, reported_at, lon, lat, category_id)
    WHERE status IN ('active', 'suspended');
