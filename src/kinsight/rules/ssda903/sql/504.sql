-- Each episode keeps the category of need of the episode that started its period of care (RNE S), which may
-- be last year's; periods that started before last year are not checked.  The start is the child's latest
-- RNE S episode on or before the episode's DECOM, found with an as-of join rather than a sorted subquery.
WITH starts AS (
    SELECT CHILD, DECOM, CIN FROM episodes WHERE RNE = 'S' AND DECOM IS NOT NULL
    UNION ALL
    SELECT CHILD, DECOM, CIN FROM episodes_last WHERE RNE = 'S' AND DECOM IS NOT NULL)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e ASOF JOIN starts s ON s.CHILD = e.CHILD AND e.DECOM >= s.DECOM
WHERE e.CIN IS NOT NULL AND s.CIN IS NOT NULL AND e.CIN <> s.CIN
