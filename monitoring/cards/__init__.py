"""明白卡 (household card) and 明白纸 (policy sheet) of DOMAIN.md §2.11: selectors feed pure PDF
builders; a large village's cards are built by a background job."""
