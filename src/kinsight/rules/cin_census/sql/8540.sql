-- Disability codes must be valid, and a born child with an episode that led to further action must have at
-- least one (NONE if none).  Invalid codes flag the disability record; a missing one flags the child.
SELECT 'disabilities' AS table_name, _row, LAchildID AS child
FROM disabilities
WHERE Disability IS NULL
   OR Disability NOT IN ('NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA')
UNION ALL
SELECT 'childidentifiers', i._row, i.LAchildID
FROM childidentifiers i
WHERE i.PersonBirthDate IS NOT NULL
  AND EXISTS (SELECT 1 FROM cindetails c WHERE c.LAchildID = i.LAchildID AND c.ReferralNFA = FALSE)
  AND NOT EXISTS (SELECT 1 FROM disabilities d WHERE d.LAchildID = i.LAchildID AND d.Disability IS NOT NULL)
