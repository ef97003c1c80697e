"""What monitoring hands out: the national lists (``households``), the bureau's lists
(``lists``), the 明白卡 and 明白纸 PDFs (``cards``), and the departments' templates and feedback
workbooks (``warnings``)."""
