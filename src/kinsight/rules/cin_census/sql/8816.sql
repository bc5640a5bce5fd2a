-- An open episode that led to further action must be the child's latest: none may be referred after it.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
WHERE c.CINclosureDate IS NULL AND c.ReferralNFA = FALSE
  AND EXISTS (
      SELECT 1 FROM cindetails later
      WHERE later.LAchildID = c.LAchildID AND later._row <> c._row AND later.CINreferralDate > c.CINreferralDate
  )
