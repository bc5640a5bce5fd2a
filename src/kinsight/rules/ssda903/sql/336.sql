-- A placement for adoption with the current foster carer (A3 or A5) must follow a foster placement
-- (U1-U6) or another placement for adoption (A3-A6).  The first episode in this year's return has no
-- earlier episode to compare with and is not checked.
WITH ordered AS (
  SELECT e._row, e.CHILD, e.PLACE,
         lag(e.PLACE) OVER (PARTITION BY e.CHILD ORDER BY e.DECOM, e._row) AS prev_place,
         row_number() OVER (PARTITION BY e.CHILD ORDER BY e.DECOM, e._row) AS n
  FROM episodes e
  WHERE e.DECOM IS NOT NULL
)
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM ordered
WHERE PLACE IN ('A3', 'A5') AND n > 1
  AND coalesce(prev_place, '') NOT IN ('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6')
