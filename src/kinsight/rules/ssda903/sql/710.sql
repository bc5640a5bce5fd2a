-- A DoLO overlapping a placement in a secure children's home (K1), with parents (P1), in a young offender
-- institution (R5) or in registered supported accommodation (K3).
SELECT 'dolo' AS table_name, d._row, d.CHILD AS child
FROM dolo d, params p
WHERE d.DOLO_START IS NOT NULL
  AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = d.CHILD AND e.PLACE IN ('K1', 'P1', 'R5', 'K3')
              AND e.DECOM <= coalesce(d.DOLO_END, p.collection_end)
              AND coalesce(e.DEC, p.collection_end) >= d.DOLO_START)
