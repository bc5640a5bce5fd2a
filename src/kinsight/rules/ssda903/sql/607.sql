-- A girl aged 11 or over at 31 March whose period of care ended this year (not a short break) needs MOTHER.
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h, params p
WHERE h.MOTHER IS NULL AND h.SEX = 'F' AND age_on(h.DOB, p.collection_end) >= 11
  AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD AND e.DEC BETWEEN p.collection_start AND p.collection_end
              AND e.REC IS NOT NULL AND e.REC <> 'X1' AND coalesce(e.LS, '') NOT IN ('V3', 'V4'))
