SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h JOIN header_last l ON l.CHILD = h.CHILD
WHERE l.UPN IS NOT NULL AND l.UPN NOT IN ('UN1','UN2','UN3','UN4','UN5','UN6','UN7')
  AND h.UPN IS DISTINCT FROM l.UPN
