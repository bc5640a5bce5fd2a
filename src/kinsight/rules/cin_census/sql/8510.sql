-- Each child appears once: every identifiers record sharing its LA child ID with another is flagged.
SELECT 'childidentifiers' AS table_name, _row, LAchildID AS child
FROM (SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID) AS records FROM childidentifiers WHERE LAchildID IS NOT NULL)
WHERE records > 1
