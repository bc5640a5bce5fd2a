-- The decision dates may not lie after 31 March, nor after the end of the child's latest episode that
-- ended care (the latest episode whose REC is not X1; an open latest episode sets no limit).
WITH ranked AS (
  SELECT e.CHILD, e.DEC,
         row_number() OVER (PARTITION BY e.CHILD ORDER BY e.DECOM DESC, e._row DESC) AS rn
  FROM episodes e
  WHERE e.DECOM IS NOT NULL AND coalesce(e.REC, '') <> 'X1'
),
latest AS (SELECT CHILD, DEC FROM ranked WHERE rn = 1)
SELECT 'placedadoption' AS table_name, a._row, a.CHILD AS child
FROM placedadoption a CROSS JOIN params p
LEFT JOIN latest l ON l.CHILD = a.CHILD
WHERE a.DATE_PLACED > p.collection_end
   OR a.DATE_PLACED_CEASED > p.collection_end
   OR a.DATE_PLACED > l.DEC
   OR a.DATE_PLACED_CEASED > l.DEC
