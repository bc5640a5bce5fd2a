-- Ofsted provider lookup (store table lookup_ofsted_providers, one row per provider or per premises):
-- urn, place_codes and provider_codes (comma-separated PLACE / PLACE_PROVIDER codes the registration
-- allows), postcode, la_code (authority the premises are in) and reg_end (date registration ended).
-- Episodes whose URN is blank or XXXXXXX are not checked; a URN missing from the lookup is rule 1008's job.
-- From 2025-26 placements that are not Ofsted-registered settings (K3, P1, P3, R1, R2, R5, T0-T4,
-- Z11-Z14) are not checked.
-- The returning authority's code is lookup_own_la.la_code.  Own provision (PR1) must be at premises in
-- the authority; provision by another authority (PR2) at premises outside it.
WITH own AS (SELECT max(upper(trim(la_code))) AS la FROM lookup_own_la),
provider_la AS (
  SELECT upper(trim(o.urn)) AS urn,
         max(CASE WHEN upper(trim(o.la_code)) = own.la THEN 1 ELSE 0 END) AS in_own,
         max(CASE WHEN upper(trim(o.la_code)) <> own.la THEN 1 ELSE 0 END) AS outside_own
  FROM lookup_ofsted_providers o CROSS JOIN own
  WHERE own.la IS NOT NULL AND o.urn IS NOT NULL AND nullif(trim(o.la_code), '') IS NOT NULL
  GROUP BY upper(trim(o.urn))
)
SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e JOIN provider_la l ON l.urn = upper(e.URN)
WHERE e.URN IS NOT NULL AND upper(e.URN) <> 'XXXXXXX'
  AND coalesce(e.PLACE, '') NOT IN ('K3', 'P1', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4',
                                    'Z11', 'Z12', 'Z13', 'Z14')
  AND ((e.PLACE_PROVIDER = 'PR1' AND l.in_own = 0) OR (e.PLACE_PROVIDER = 'PR2' AND l.outside_own = 0))
