-- The episode left open (DEC blank) at the end of last year against this year's first episode; distances are
-- compared to one decimal place, as the DfE derives and rounds them.
WITH first_this AS (SELECT CHILD, min(DECOM) AS first_decom FROM episodes GROUP BY CHILD)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN first_this f ON f.CHILD = e.CHILD AND f.first_decom = e.DECOM
JOIN episodes_last l ON l.CHILD = e.CHILD AND l.DEC IS NULL
WHERE e.PL_DISTANCE IS NOT NULL AND l.PL_DISTANCE IS NOT NULL AND round(e.PL_DISTANCE, 1) <> round(l.PL_DISTANCE, 1)
