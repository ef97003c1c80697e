"""What every browser test may ask of a form: that each control can be reached by a finger or a
mouse (nothing drawn over it, no two controls on top of each other), that each can be clicked as
a person clicks it, and the confirmation of a decision."""

from __future__ import annotations

from pathlib import Path

# Run in the page (a read, never a write): for every visible control of the page's main part,
# scroll it into the middle of the window and ask the browser which element a click at its
# centre would reach; anything but the control itself or its own label is a control covered by
# another element. Then every pair of controls and labels of one form is compared: two boxes that
# overlap are the radio buttons drawn under the next field and the submit button.
COVERED_CONTROLS_JS = (Path(__file__).parent / "covered_controls.js").read_text()


def covered_controls(page) -> list[str]:
    """The controls of the page that a person could not click where they are drawn."""
    return page.evaluate(COVERED_CONTROLS_JS)


def _press(page, box) -> None:
    """Click a radio button or check box where a person does: the box itself, or for a row of
    buttons (Bootstrap's .btn-check, whose input is hidden under its label on purpose) the
    button."""
    if "btn-check" in (box.get_attribute("class") or ""):
        page.locator(f"label[for='{box.get_attribute('id')}']").click()
    else:
        box.click()
    # A control that reloads its form through htmx (the visit form's "no change" switch): wait
    # until the new form is in place, as a person waits for the page to redraw.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def click_every_choice(page) -> int:
    """Tick every check box and radio button of the page's forms as a person does: Playwright
    waits until the control is visible, stable, enabled and the one that receives the click at
    its own point (never forced). Check boxes are ticked and unticked again, so the page is left
    as it was; the radio button of a group that ends checked is the last one. Returns how many
    controls were clicked."""
    clicked = 0
    for kind in ("radio", "checkbox"):
        boxes = page.locator(f"main form input[type={kind}]:enabled:visible")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            was_checked = box.is_checked()
            _press(page, box)
            if kind == "radio" or not was_checked:
                assert box.is_checked(), box.get_attribute("id")
            if kind == "checkbox":
                _press(page, box)
                assert box.is_checked() == was_checked, box.get_attribute("id")
            clicked += 1
    return clicked


def click_every_field(page) -> int:
    """Click into every text field, list and text area of the page's forms that is enabled (a
    covered one fails Playwright's check that the click reaches it; a disabled one, such as the
    township list of a township clerk, cannot be clicked by anyone). Returns how many were
    clicked."""
    fields = page.locator(
        "main form input:not([type=hidden]):not([type=radio]):not([type=checkbox])"
        ":not([type=file]):not([type=submit]):enabled:visible, main form select:enabled:visible, "
        "main form textarea:enabled:visible"
    )
    for index in range(fields.count()):
        fields.nth(index).click()
        page.keyboard.press("Escape")  # close a date picker or a list before the next field
    return fields.count()


def confirm(page) -> None:
    """Accept the confirmation a decision asks for (base.html's dialog), then wait for the page
    the submission leads to."""
    dialog = page.get_by_test_id("confirm-dialog")
    dialog.get_by_role("button", name="确认提交").click()
    page.wait_for_load_state()
