"""Reading and arranging the ordering widget the way a keyboard user does."""


def steps(page, number=0):
    """The steps of the page's `number`th ordering question, in the order shown."""
    texts = page.locator("[data-ordering]").nth(number).locator(".step-text").all_inner_texts()
    return [text.strip() for text in texts]


def arrange_by_keyboard(page, order, number=0):
    """Focus each step's handle and press the arrow keys until the list reads `order`."""
    items = page.locator("[data-ordering]").nth(number).locator(".ordering-item")
    for index, step in enumerate(order):
        current = steps(page, number)
        items.filter(has_text=step).locator(".ordering-handle").focus()
        for _ in range(current.index(step) - index):
            page.keyboard.press("ArrowUp")
    assert steps(page, number) == list(order)
