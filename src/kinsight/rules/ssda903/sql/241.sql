-- Ofsted provider lookup (store table lookup_ofsted_providers, one row per provider or per premises):
-- urn, place_codes and provider_codes (comma-separated PLACE / PLACE_PROVIDER codes the registration
-- allows), postcode, la_code (authority the premises are in) and reg_end (date registration ended).
-- Episodes whose URN is blank or XXXXXXX are not checked; a URN missing from the lookup is rule 1008's job.
-- Registered supported accommodation (PLACE K3): the authority the placement is in (PL_LA) must be one
-- where the provider has premises (any lookup row for the URN).
WITH premises AS (
  SELECT upper(trim(urn)) AS urn, upper(trim(la_code)) AS la_code
  FROM lookup_ofsted_providers
  WHERE urn IS NOT NULL AND nullif(trim(la_code), '') IS NOT NULL
)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.URN IS NOT NULL AND upper(e.URN) <> 'XXXXXXX'
  AND e.PLACE = 'K3' AND e.PL_LA IS NOT NULL
  AND upper(e.URN) IN (SELECT urn FROM premises)
  AND NOT EXISTS (SELECT 1 FROM premises p WHERE p.urn = upper(e.URN) AND p.la_code = upper(e.PL_LA))
