"""URL patterns of the cards pages (included by monitoring/urls.py)."""

from django.urls import path

from monitoring.views import cards

urlpatterns: list = [
    path("households/<int:pk>/card/", cards.household_card, name="household_card"),
    path("households/<int:pk>/card.pdf", cards.household_card_pdf, name="household_card_pdf"),
    path("cards/", cards.card_village_list, name="card_villages"),
    path("cards/village/<int:village_pk>/", cards.village_cards, name="village_cards"),
    path("cards/village/<int:village_pk>/pdf/", cards.village_cards_pdf, name="village_cards_pdf"),
    path("cards/policy-sheet.pdf", cards.policy_sheet, name="policy_sheet"),
]
