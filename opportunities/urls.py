from django.urls import path

from opportunities import views

urlpatterns = [
    path("", views.opportunity_list, name="opportunity_list"),
]
