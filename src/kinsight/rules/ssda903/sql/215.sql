-- Both rows are flagged: the care leaver details (OC3) and the 12-month outcomes (OC2) cannot both apply.
WITH both_filled AS (
  SELECT c._row AS oc3_row, o._row AS oc2_row, c.CHILD
  FROM oc3 c JOIN oc2 o ON o.CHILD = c.CHILD
  WHERE (c.IN_TOUCH IS NOT NULL OR c.ACTIV IS NOT NULL OR c.ACCOM IS NOT NULL)
    AND (o.CONVICTED IS NOT NULL OR o.HEALTH_CHECK IS NOT NULL OR o.IMMUNISATIONS IS NOT NULL OR o.TEETH_CHECK IS NOT NULL
       OR o.HEALTH_ASSESSMENT IS NOT NULL OR o.SUBSTANCE_MISUSE IS NOT NULL OR o.INTERVENTION_RECEIVED IS NOT NULL
       OR o.INTERVENTION_OFFERED IS NOT NULL)
)
SELECT 'oc3' AS table_name, oc3_row AS _row, CHILD AS child FROM both_filled
UNION ALL
SELECT 'oc2' AS table_name, oc2_row AS _row, CHILD AS child FROM both_filled
