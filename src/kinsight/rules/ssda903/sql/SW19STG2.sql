SELECT 'swepisodes' AS table_name, s._row, s.CHILD AS child
FROM swepisodes s
JOIN (SELECT CHILD, SW_DECOM FROM swepisodes WHERE SW_DECOM IS NOT NULL GROUP BY CHILD, SW_DECOM HAVING count(*) > 1) d
  ON d.CHILD = s.CHILD AND d.SW_DECOM = s.SW_DECOM
