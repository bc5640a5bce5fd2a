-- Within one episode, at most one section 47 enquiry may be open (no initial conference date and not
-- flagged ICPCnotRequired).  Every open enquiry of such an episode is flagged.
SELECT 'section47' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID, CINdetailsID) AS open_enquiries
    FROM section47
    WHERE DateOfInitialCPC IS NULL AND ICPCnotRequired IS NOT TRUE
)
WHERE open_enquiries > 1
