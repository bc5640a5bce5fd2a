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
-- A reason for no score (SDQ_REASON) answers the item; SDQ1 for this age group is rule 157's error.
SELECT 'oc2' AS table_name, o._row, o.CHILD AS child
FROM oc2 o CROSS JOIN params p
WHERE o.SDQ_SCORE IS NULL AND o.SDQ_REASON IS NULL
  AND age_on(o.DOB, p.collection_start) >= 4 AND age_on(o.DOB, p.collection_end) < 17
  AND o.CHILD IN (SELECT CHILD FROM cla12)
