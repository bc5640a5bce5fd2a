-- This year's first episode against the episode left open (DEC blank) at the end of last year: PLACE must agree.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM carried_over_episodes e
WHERE e.PLACE IS DISTINCT FROM e.last_open.PLACE
