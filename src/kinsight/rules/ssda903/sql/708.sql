SELECT 'dolo' AS table_name, d._row, d.CHILD AS child
FROM dolo d LEFT JOIN header h ON h.CHILD = d.CHILD
WHERE d.DOLO_START < coalesce(h.DOB, d.DOB)
