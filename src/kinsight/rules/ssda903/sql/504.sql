-- Each episode keeps the category of need of the episode that started its period of care (RNE S), which may
-- be last year's; periods that started before last year are not checked.
WITH starts AS (
    SELECT CHILD, DECOM, CIN FROM episodes WHERE RNE = 'S'
    UNION ALL
    SELECT CHILD, DECOM, CIN FROM episodes_last WHERE RNE = 'S'),
period AS (
    SELECT e._row, e.CHILD, e.CIN,
           (SELECT s.CIN FROM starts s WHERE s.CHILD = e.CHILD AND s.DECOM <= e.DECOM
            ORDER BY s.DECOM DESC LIMIT 1) AS start_cin
    FROM episodes e)
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM period
WHERE CIN IS NOT NULL AND start_cin IS NOT NULL AND CIN <> start_cin
