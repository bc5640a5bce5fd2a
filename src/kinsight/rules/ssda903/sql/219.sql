-- Ofsted provider lookup (store table lookup_ofsted_providers, one row per provider or per premises):
-- urn, place_codes and provider_codes (comma-separated PLACE / PLACE_PROVIDER codes the registration
-- allows), postcode, la_code (authority the premises are in) and reg_end (date registration ended).
-- Episodes whose URN is blank or XXXXXXX are not checked; a URN missing from the lookup is rule 1008's job.
WITH allowed AS (
  SELECT upper(trim(urn)) AS urn, ',' || upper(replace(place_codes, ' ', '')) || ',' AS codes
  FROM lookup_ofsted_providers
  WHERE urn IS NOT NULL AND nullif(trim(place_codes), '') IS NOT NULL
)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.URN IS NOT NULL AND upper(e.URN) <> 'XXXXXXX'
  AND upper(e.URN) IN (SELECT urn FROM allowed)
  AND NOT EXISTS (SELECT 1 FROM allowed a
                  WHERE a.urn = upper(e.URN) AND a.codes LIKE '%,' || coalesce(e.PLACE, '?') || ',%')
