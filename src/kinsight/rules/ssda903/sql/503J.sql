-- This year's first episode against the episode left open (DEC blank) at the end of last year: PL_LOCATION must agree.
WITH first_this AS (SELECT CHILD, min(DECOM) AS first_decom FROM episodes GROUP BY CHILD)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN first_this f ON f.CHILD = e.CHILD AND f.first_decom = e.DECOM
JOIN episodes_last l ON l.CHILD = e.CHILD AND l.DEC IS NULL
WHERE e.PL_LOCATION IS DISTINCT FROM l.PL_LOCATION
