SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM, _row) AS n FROM episodes WHERE PLACE = 'T3')
WHERE n > 2
