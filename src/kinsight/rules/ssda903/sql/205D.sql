-- 205D: UASC this year (a row in this year's UASC table) and in last year's return (header), but with no
-- row in last year's UASC table, so last year's return said the child was not UASC.
SELECT 'uasc' AS table_name, u._row, u.CHILD AS child
FROM uasc u
WHERE EXISTS (SELECT 1 FROM header_last hl WHERE hl.CHILD = u.CHILD)
  AND NOT EXISTS (SELECT 1 FROM uasc_last l WHERE l.CHILD = u.CHILD)
