-- A DoLO with both its dates that overlaps an episode whose placement is not one the DfE expects under an order:
-- a children's home (K2) or the 2025-26 codes Z12 and Z13.  An episode still open counts to 31 March.
SELECT 'dolo' AS table_name, d._row, d.CHILD AS child
FROM dolo d, params p
WHERE d.DOLO_START IS NOT NULL AND d.DOLO_END IS NOT NULL
  AND EXISTS (SELECT 1 FROM episodes e
              WHERE e.CHILD = d.CHILD AND e.DECOM <= d.DOLO_END
                AND coalesce(e.DEC, p.collection_end) >= d.DOLO_START
                AND coalesce(e.PLACE, '') NOT IN ('K2', 'Z12', 'Z13'))
