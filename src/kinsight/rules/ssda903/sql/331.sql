-- The placement for adoption is the episode that ended with the adoption (REC E11 or E12); matching may
-- not come after its start.
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a JOIN episodes e ON e.CHILD = a.CHILD
WHERE e.REC IN ('E11', 'E12') AND a.DATE_MATCH > e.DECOM
