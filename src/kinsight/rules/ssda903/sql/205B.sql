-- 205B: UASC in both years (a row in this year's and last year's UASC tables), yet a DUC says the status
-- had already ended: last year's DUC is filled in, or this year's DUC falls before this year's 1 April.
-- This year's UASC row is flagged: it is the record claiming the status and holding DUC.
SELECT 'uasc' AS table_name, u._row, u.CHILD AS child
FROM uasc u
WHERE EXISTS (SELECT 1 FROM uasc_last l WHERE l.CHILD = u.CHILD)
  AND (
      EXISTS (SELECT 1 FROM uasc_last l WHERE l.CHILD = u.CHILD AND l.DUC IS NOT NULL)
      OR u.DUC < (SELECT collection_start FROM params)
  )
