-- Every social worker episode after the child's first needs the reason for the change of social worker.
SELECT 'swepisodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY SW_DECOM, _row) AS k FROM swepisodes)
WHERE k > 1 AND SW_REASON IS NULL
