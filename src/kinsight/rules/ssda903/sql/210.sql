SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h, params p
WHERE h.UPN = 'UN4' AND EXISTS (
    SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD AND e.DECOM < p.collection_end - 7
      AND (e.DEC IS NULL OR e.DEC > p.collection_end))
