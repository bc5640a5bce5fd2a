-- Ofsted provider lookup (store table lookup_ofsted_providers, one row per provider or per premises):
-- urn, place_codes and provider_codes (comma-separated PLACE / PLACE_PROVIDER codes the registration
-- allows), postcode, la_code (authority the premises are in) and reg_end (date registration ended).
-- Episodes whose URN is blank or XXXXXXX are not checked; a URN missing from the lookup is rule 1008's job.
-- An open episode must be at a provider still registered on 31 March.
WITH closing AS (
  -- A provider's registration end: none while any of its rows is still open (reg_end blank).
  SELECT upper(trim(urn)) AS urn,
         CASE WHEN count(*) = count(end_date) THEN max(end_date) END AS reg_end
  FROM (SELECT urn, coalesce(TRY_CAST(reg_end AS DATE),
                             CAST(try_strptime(CAST(reg_end AS VARCHAR), '%d/%m/%Y') AS DATE)) AS end_date
        FROM lookup_ofsted_providers WHERE urn IS NOT NULL) r
  GROUP BY upper(trim(urn))
)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN closing c ON c.urn = upper(e.URN) CROSS JOIN params p
WHERE e.URN IS NOT NULL AND upper(e.URN) <> 'XXXXXXX'
  AND c.reg_end IS NOT NULL
  AND coalesce(e.DEC, p.collection_end) > c.reg_end
