-- A CIN plan cannot start before the referral of the episode it belongs to.
SELECT 'cinplandates' AS table_name, d._row, d.LAchildID AS child
FROM cinplandates d
JOIN cindetails c ON c.LAchildID = d.LAchildID AND c.CINdetailsID = d.CINdetailsID
WHERE d.CINPlanStartDate < c.CINreferralDate
