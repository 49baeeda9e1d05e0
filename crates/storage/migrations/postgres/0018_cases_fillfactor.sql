-- PostgreSQL: leave 15 % of each page of `cases` free, so that an update that changes no indexed
-- column (a merged clue's count and time, most of all) can keep the new row version on the same
-- page (a HOT update) instead of adding an entry to each of the table's ten indexes. Pages written
-- from now on keep the space; existing ones get it when the table is rewritten (VACUUM FULL).
-- SQLite updates rows in place and has no such setting: its migration of the same name is empty.
-- Keep in lockstep with the other backend's migration of the same name.

ALTER TABLE cases SET (fillfactor = 85);
