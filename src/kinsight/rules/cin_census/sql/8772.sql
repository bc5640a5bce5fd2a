-- UPNunknown UN7 means "referral with no further action", so no episode of the child may have led to action.
SELECT 'childidentifiers' AS table_name, i._row, i.LAchildID AS child
FROM childidentifiers i
WHERE i.UPNunknown = 'UN7'
  AND EXISTS (SELECT 1 FROM cindetails c WHERE c.LAchildID = i.LAchildID AND c.ReferralNFA = FALSE)
