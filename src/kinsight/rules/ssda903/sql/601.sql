-- Every adoption this year (REC E11/E12) needs the AD1 details.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.REC IN ('E11', 'E12')
  AND NOT EXISTS (SELECT 1 FROM ad1 a WHERE a.CHILD = e.CHILD AND a.DATE_INT IS NOT NULL AND a.DATE_MATCH IS NOT NULL
                  AND a.FOSTER_CARE IS NOT NULL AND a.NB_ADOPTR IS NOT NULL AND a.SEX_ADOPTR IS NOT NULL
                  AND a.LS_ADOPTR IS NOT NULL)
