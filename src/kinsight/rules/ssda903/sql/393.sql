SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h, params p
WHERE h.MOTHER IS NULL AND h.SEX = 'F' AND age_on(h.DOB, p.collection_end) >= 11
  AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD AND coalesce(e.LS, '') NOT IN ('V3', 'V4')
              AND (e.DEC IS NULL OR e.DEC >= p.collection_start))
