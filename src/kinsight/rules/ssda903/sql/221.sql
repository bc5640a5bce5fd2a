-- Ofsted provider lookup (store table lookup_ofsted_providers, one row per provider or per premises):
-- urn, place_codes and provider_codes (comma-separated PLACE / PLACE_PROVIDER codes the registration
-- allows), postcode, la_code (authority the premises are in) and reg_end (date registration ended).
-- Episodes whose URN is blank or XXXXXXX are not checked; a URN missing from the lookup is rule 1008's job.
-- Checked for children's homes, secure homes, family centres and residential schools (PLACE K1, K2, R3,
-- S1) outside short breaks; postcodes compare without spaces.
WITH premises AS (
  SELECT upper(trim(urn)) AS urn, upper(replace(postcode, ' ', '')) AS postcode
  FROM lookup_ofsted_providers
  WHERE urn IS NOT NULL AND nullif(trim(postcode), '') IS NOT NULL
)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.URN IS NOT NULL AND upper(e.URN) <> 'XXXXXXX'
  AND coalesce(e.LS, '') NOT IN ('V3', 'V4')
  AND e.PLACE IN ('K1', 'K2', 'R3', 'S1')
  AND e.PL_POST IS NOT NULL
  AND upper(e.URN) IN (SELECT urn FROM premises)
  AND NOT EXISTS (SELECT 1 FROM premises p
                  WHERE p.urn = upper(e.URN) AND p.postcode = upper(replace(e.PL_POST, ' ', '')))
