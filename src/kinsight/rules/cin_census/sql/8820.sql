-- A child's episodes cannot overlap: an episode's referral cannot fall on or after another episode's referral
-- and before its closure, or by the census date while that episode is open and led to further action.
-- A new referral on the day the previous episode closed is allowed.  The later episode is flagged.
SELECT 'cindetails' AS table_name, a._row, a.LAchildID AS child
FROM cindetails a
JOIN cindetails b ON b.LAchildID = a.LAchildID AND b._row <> a._row
CROSS JOIN params
WHERE a.CINreferralDate >= b.CINreferralDate
  AND CASE WHEN b.CINclosureDate IS NOT NULL THEN a.CINreferralDate < b.CINclosureDate
           ELSE b.ReferralNFA = FALSE AND a.CINreferralDate <= params.collection_end END
