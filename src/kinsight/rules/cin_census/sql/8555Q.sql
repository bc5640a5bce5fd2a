-- A referral dated after the child's recorded death.
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
JOIN childidentifiers i ON i.LAchildID = c.LAchildID
WHERE c.CINreferralDate > i.PersonDeathDate
