-- The date of birth is the header's when the child has one, else the one on the PlacedAdoption row.
SELECT 'placedadoption' AS table_name, a._row, a.CHILD AS child
FROM placedadoption a LEFT JOIN header h ON h.CHILD = a.CHILD
WHERE a.DATE_PLACED < coalesce(h.DOB, a.DOB)
