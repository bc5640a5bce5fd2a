-- The child was missing on the day the period of care ended (a missing period covering DEC).
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.DEC IS NOT NULL AND e.REC IS NOT NULL AND e.REC NOT IN ('X1', 'E8')
  AND EXISTS (SELECT 1 FROM missing m WHERE m.CHILD = e.CHILD AND m.MIS_START <= e.DEC
              AND (m.MIS_END IS NULL OR m.MIS_END > e.DEC))
