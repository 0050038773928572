from django.urls import path

from opportunities import views

urlpatterns = [
    path("", views.opportunity_list, name="opportunity_list"),
    path("a-commander/", views.opportunity_browse_linkable, name="opportunity_browse_linkable"),
    path("<str:number>/", views.opportunity_detail, name="opportunity_detail"),
]
