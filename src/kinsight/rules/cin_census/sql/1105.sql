-- A child protection plan cannot start before the referral of the episode it belongs to.
SELECT 'childprotectionplans' AS table_name, p._row, p.LAchildID AS child
FROM childprotectionplans p
JOIN cindetails c ON c.LAchildID = p.LAchildID AND c.CINdetailsID = p.CINdetailsID
WHERE p.CPPstartDate < c.CINreferralDate
