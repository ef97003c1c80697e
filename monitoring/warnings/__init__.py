"""Department screening lists and warnings (部门筛查预警, DOMAIN.md §2.4.7).

A sector department uploads its screening list (``template`` gives it the Excel layout); a
background job matches each row to a household member by the blind index of the ID number
(``services.warning_upload_match``) and routes a ``DeptWarning`` to the member's village; the
township verifies each one before its deadline (``services.warning_verify``); the bureau follows
the handling list (``selectors``).
"""
