from django.urls import path

from sites import views

urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("<str:number>/", views.site_detail, name="site_detail"),
    path("<str:number>/demande-de-changement/", views.site_change_request_create, name="site_change_request"),
]
