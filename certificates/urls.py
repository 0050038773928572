from django.urls import path

from certificates import views

urlpatterns = [
    path("<uuid:public_id>/telecharger/", views.certificate_download, name="certificate_download"),
]
