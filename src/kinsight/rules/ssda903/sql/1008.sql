-- The URN must be a registered Ofsted provider (lookup_ofsted_providers.urn); XXXXXXX means none applies.
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.URN IS NOT NULL AND upper(e.URN) <> 'XXXXXXX'
  AND upper(e.URN) NOT IN (SELECT upper(trim(urn)) FROM lookup_ofsted_providers WHERE urn IS NOT NULL)
