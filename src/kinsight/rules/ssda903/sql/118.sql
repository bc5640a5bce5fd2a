-- A reversal date may not fall before 1 April, nor before the start of the child's earliest episode this
-- year that is not a short break (LS V3/V4).
WITH first_start AS (
  SELECT CHILD, min(DECOM) AS first_decom
  FROM episodes
  WHERE DECOM IS NOT NULL AND coalesce(LS, '') NOT IN ('V3', 'V4')
  GROUP BY CHILD
)
SELECT 'placedadoption' AS table_name, a._row, a.CHILD AS child
FROM placedadoption a CROSS JOIN params p
LEFT JOIN first_start f ON f.CHILD = a.CHILD
WHERE a.DATE_PLACED_CEASED IS NOT NULL
  AND (a.DATE_PLACED_CEASED < p.collection_start OR a.DATE_PLACED_CEASED < f.first_decom)
