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
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a
WHERE (a.DATE_INT IS NOT NULL OR a.DATE_MATCH IS NOT NULL OR a.FOSTER_CARE IS NOT NULL OR a.NB_ADOPTR IS NOT NULL
       OR a.SEX_ADOPTR IS NOT NULL OR a.LS_ADOPTR IS NOT NULL)
  AND a.CHILD IN (SELECT CHILD FROM cla12)
UNION ALL
SELECT 'oc3' AS table_name, c._row, c.CHILD AS child
FROM oc3 c
WHERE (c.IN_TOUCH IS NOT NULL OR c.ACTIV IS NOT NULL OR c.ACCOM IS NOT NULL)
  AND c.CHILD IN (SELECT CHILD FROM cla12)
