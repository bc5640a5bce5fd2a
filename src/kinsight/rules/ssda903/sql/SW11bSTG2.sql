-- For a child looked after on 31 March (an open episode), the latest social worker episode ended before 31 March.
SELECT 'swepisodes' AS table_name, s._row, s.CHILD AS child
FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY SW_DECOM DESC, _row DESC) AS k
      FROM swepisodes WHERE SW_DECOM IS NOT NULL) s, params p
WHERE s.k = 1 AND s.SW_DEC IS NOT NULL AND s.SW_DEC < p.collection_end
  AND s.CHILD IN (SELECT CHILD FROM episodes WHERE DEC IS NULL)
