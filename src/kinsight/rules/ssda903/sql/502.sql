-- The episode left open (DEC blank) at the end of last year must be this year's first episode.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM carried_over_episodes e
WHERE e.DECOM IS DISTINCT FROM e.last_open.DECOM
