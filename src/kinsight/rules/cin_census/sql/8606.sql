-- A referral more than 40 weeks before the child's date of birth (or expected date of birth if unborn).
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c
JOIN childidentifiers i ON i.LAchildID = c.LAchildID
WHERE c.CINreferralDate < coalesce(i.PersonBirthDate, i.ExpectedPersonBirthDate) - INTERVAL 280 DAY
