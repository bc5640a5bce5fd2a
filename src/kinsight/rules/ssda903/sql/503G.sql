-- This year's first episode against the episode left open (DEC blank) at the end of last year: PL_DISTANCE must agree.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM carried_over_episodes e
WHERE e.PL_DISTANCE IS DISTINCT FROM e.last_open.PL_DISTANCE
