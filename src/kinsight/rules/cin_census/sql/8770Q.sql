-- A child aged 4 or more at the census date, with an episode that led to further action, needs a UPN or a
-- reason it is missing other than UN1 (not yet of school age): UN2 to UN7.
SELECT 'childidentifiers' AS table_name, i._row, i.LAchildID AS child
FROM childidentifiers i, params
WHERE i.PersonBirthDate <= params.collection_end - INTERVAL 4 YEAR
  AND i.UPN IS NULL
  AND (i.UPNunknown IS NULL OR i.UPNunknown NOT IN ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'))
  AND EXISTS (SELECT 1 FROM cindetails c WHERE c.LAchildID = i.LAchildID AND c.ReferralNFA = FALSE)
