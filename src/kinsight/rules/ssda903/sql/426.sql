-- A child's short breaks in one year are all V3 or all V4: flag every short-break episode of a child with both.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
JOIN (SELECT CHILD FROM episodes WHERE LS IN ('V3', 'V4') GROUP BY CHILD HAVING count(DISTINCT LS) > 1) m
  ON m.CHILD = e.CHILD
WHERE e.LS IN ('V3', 'V4')
