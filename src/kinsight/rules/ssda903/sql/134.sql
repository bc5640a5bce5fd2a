-- A young person with care leaver details (OC3) cannot also have adoption details (AD1): the AD1 row is flagged.
SELECT 'ad1' AS table_name, a._row, a.CHILD AS child
FROM ad1 a JOIN oc3 c ON c.CHILD = a.CHILD
WHERE (a.DATE_INT IS NOT NULL OR a.DATE_MATCH IS NOT NULL OR a.FOSTER_CARE IS NOT NULL OR a.NB_ADOPTR IS NOT NULL
       OR a.SEX_ADOPTR IS NOT NULL OR a.LS_ADOPTR IS NOT NULL)
  AND (c.IN_TOUCH IS NOT NULL OR c.ACTIV IS NOT NULL OR c.ACCOM IS NOT NULL)
