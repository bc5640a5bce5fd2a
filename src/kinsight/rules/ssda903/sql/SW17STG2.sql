-- For a child looked after on 31 March (an open episode), flags the latest social worker episode when none is
-- open on 31 March.
SELECT 'swepisodes' AS table_name, s._row, s.CHILD AS child
FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY SW_DECOM DESC NULLS LAST, _row DESC) AS k
      FROM swepisodes WHERE CHILD IN (SELECT CHILD FROM episodes WHERE DEC IS NULL)) s, params p
WHERE s.k = 1
  AND NOT EXISTS (SELECT 1 FROM swepisodes o WHERE o.CHILD = s.CHILD AND o.SW_DECOM <= p.collection_end
                  AND (o.SW_DEC IS NULL OR o.SW_DEC >= p.collection_end))
