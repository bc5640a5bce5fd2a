SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header h
JOIN (SELECT UPN FROM header WHERE UPN IS NOT NULL AND UPN NOT IN ('UN1', 'UN2', 'UN3', 'UN4', 'UN5')
      GROUP BY UPN HAVING count(DISTINCT CHILD) > 1) d ON d.UPN = h.UPN
