-- The placement the child was adopted from is the episode ending with the adoption (REC E11 or E12).
-- A2, A3 and A5 mean "with the current foster carer"; A1, A4 and A6 mean "not with them" (A1/A2 are
-- the older codes, kept so older returns read the same).
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a JOIN episodes e ON e.CHILD = a.CHILD
WHERE e.REC IN ('E11', 'E12')
  AND ((a.FOSTER_CARE = '0' AND e.PLACE IN ('A2', 'A3', 'A5'))
    OR (a.FOSTER_CARE = '1' AND e.PLACE IN ('A1', 'A4', 'A6')))
