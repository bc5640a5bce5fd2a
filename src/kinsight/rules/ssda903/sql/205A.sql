-- 205A: UASC last year (a row in last year's UASC table), in this year's return, but no row in this
-- year's UASC table, and no DUC in last year's table showing the status ended by last year's 31 March
-- (DUC before this year's 1 April).  The header row is flagged: it is the child's record this year.
SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h
WHERE EXISTS (SELECT 1 FROM uasc_last l WHERE l.CHILD = h.CHILD)
  AND NOT EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = h.CHILD)
  AND NOT EXISTS (
      SELECT 1 FROM uasc_last l
      WHERE l.CHILD = h.CHILD AND l.DUC < (SELECT collection_start FROM params)
  )
