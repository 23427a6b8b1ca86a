-- 0005: reserved for the ideal-points migration of the "ideal" branch. This empty step
-- only lets 0006 apply on the "force" branch; when both branches are merged, delete this
-- file and keep the ideal branch's 0005.
SELECT 1;
