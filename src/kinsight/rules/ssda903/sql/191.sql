-- Looked after continuously for 12 months at 31 March: in care during the year, and no episode this
-- year starts a new period of care after 1 April (RNE S), ends care (a REC other than X1) or is a
-- short break (LS V3/V4).  A period starting on 1 April itself covers the whole year.
WITH cla12 AS (
  SELECT e.CHILD
  FROM episodes e CROSS JOIN params p
  WHERE e.CHILD IS NOT NULL AND e.DECOM <= p.collection_end AND (e.DEC IS NULL OR e.DEC >= p.collection_start)
  GROUP BY e.CHILD
  HAVING max(CASE WHEN (e.RNE = 'S' AND e.DECOM > p.collection_start)
                    OR (e.DEC IS NOT NULL AND e.DEC <= p.collection_end AND coalesce(e.REC, '') <> 'X1')
                    OR e.LS IN ('V3', 'V4') THEN 1 ELSE 0 END) = 0
)
-- The child's OC2 row when there is one, else the header row, so a missing OC2 record is still seen.
SELECT CASE WHEN o._row IS NULL THEN 'header' ELSE 'oc2' END AS table_name,
       coalesce(o._row, h._row) AS _row, c.CHILD AS child
FROM cla12 c
LEFT JOIN oc2 o ON o.CHILD = c.CHILD
LEFT JOIN header h ON h.CHILD = c.CHILD
WHERE (o.IMMUNISATIONS IS NULL OR o.TEETH_CHECK IS NULL OR o.HEALTH_ASSESSMENT IS NULL OR o.SUBSTANCE_MISUSE IS NULL)
  AND coalesce(o._row, h._row) IS NOT NULL
